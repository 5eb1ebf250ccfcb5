"""Tokens decoded with PyJWT and checked claim by claim; who may join; room names."""

import re
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from classrooms import services
from classrooms.models import LiveSession, new_room_name
from courses.models import Enrollment
from lms.errors import Conflict, Forbidden, Gone, NotFound
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory
from tests.factories.lms import member

SECRET = "prosody-shared-secret-0123456789abcdef"


@pytest.fixture
def selfhosted(settings):
    settings.JITSI_DOMAIN = "meet.school.example"
    settings.JITSI_APP_ID = "lophoc"
    settings.JITSI_APP_SECRET = SECRET
    settings.JITSI_TOKEN_MARGIN_MINUTES = 30


@pytest.fixture
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def jaas(settings, rsa_key):
    settings.JITSI_JAAS_APP_ID = "vpaas-magic-cookie-abc123"
    settings.JITSI_JAAS_KEY_ID = "vpaas-magic-cookie-abc123/4f4910"
    settings.JITSI_JAAS_PRIVATE_KEY = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.JITSI_TOKEN_MARGIN_MINUTES = 30
    return rsa_key.public_key()


def _join(session, user):
    return services.live_session_join(session=session, by=user)


def _decode_hs(token):
    return jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi")


def _check_common(claims, session, user, *, now):
    assert claims["aud"] == "jitsi"
    assert claims["room"] == session.room_name  # bare: no domain, no app id
    assert claims["nbf"] <= int(now.timestamp())
    expected_exp = int((session.ends_at + timedelta(minutes=30)).timestamp())
    assert abs(claims["exp"] - expected_exp) <= 1
    assert claims["exp"] - int(now.timestamp()) < 24 * 3600  # hours, never days
    context_user = claims["context"]["user"]
    assert context_user["id"] == str(user.pk)
    assert context_user["name"] == user.full_name
    assert context_user["email"] == user.email
    assert context_user["avatar"] == ""
    for key in ("id", "name", "email", "avatar", "affiliation", "moderator"):
        assert isinstance(context_user[key], str), key
    return context_user


@pytest.mark.parametrize(
    ("who", "affiliation", "moderator", "lobby_bypass"),
    [
        ("teacher", "owner", "true", True),
        ("student", "member", "false", False),
        ("admin_user", "member", "false", False),
    ],
)
def test_hs256_claims(request, selfhosted, open_session, who, affiliation, moderator, lobby_bypass):
    user = request.getfixturevalue(who)
    now = timezone.now()
    join = _join(open_session, user)
    header = jwt.get_unverified_header(join["jwt"])
    assert header["alg"] == "HS256"
    claims = _decode_hs(join["jwt"])
    assert claims["iss"] == "lophoc"
    assert claims["sub"] == "meet.school.example"
    context_user = _check_common(claims, open_session, user, now=now)
    assert context_user["affiliation"] == affiliation
    assert context_user["moderator"] == moderator
    assert context_user["lobby_bypass"] is lobby_bypass
    assert join["domain"] == "meet.school.example"
    assert join["room"] == join["room_path"] == open_session.room_name
    assert join["moderator"] is (who == "teacher")
    assert join["observer"] is (who == "admin_user")
    assert join["external_api_url"] == "https://meet.school.example/external_api.js"
    assert join["config_overwrite"]["readOnlyName"] is True


@pytest.mark.parametrize(
    ("who", "affiliation", "moderator"),
    [
        ("teacher", "owner", "true"),
        ("student", "member", "false"),
        ("admin_user", "member", "false"),
    ],
)
def test_rs256_jaas_claims(request, jaas, open_session, who, affiliation, moderator):
    user = request.getfixturevalue(who)
    now = timezone.now()
    join = _join(open_session, user)
    header = jwt.get_unverified_header(join["jwt"])
    assert header["alg"] == "RS256"
    assert header["kid"] == "vpaas-magic-cookie-abc123/4f4910"
    claims = jwt.decode(join["jwt"], jaas, algorithms=["RS256"], audience="jitsi")
    assert claims["iss"] == "chat"
    assert claims["sub"] == "vpaas-magic-cookie-abc123"
    context_user = _check_common(claims, open_session, user, now=now)
    assert context_user["affiliation"] == affiliation
    assert context_user["moderator"] == moderator
    assert join["domain"] == "8x8.vc"
    assert join["room_path"] == f"vpaas-magic-cookie-abc123/{open_session.room_name}"
    assert join["external_api_url"] == "https://8x8.vc/vpaas-magic-cookie-abc123/external_api.js"
    with pytest.raises(jwt.InvalidSignatureError):
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
        jwt.decode(join["jwt"], other, algorithms=["RS256"], audience="jitsi")


def test_jaas_key_from_a_file(tmp_path, settings, jaas, open_session, student):
    path = tmp_path / "jaas.pem"
    path.write_text(settings.JITSI_JAAS_PRIVATE_KEY)
    settings.JITSI_JAAS_PRIVATE_KEY = str(path)
    claims = jwt.decode(
        _join(open_session, student)["jwt"], jaas, algorithms=["RS256"], audience="jitsi"
    )
    assert claims["room"] == open_session.room_name


def test_assistant_is_not_moderator(selfhosted, open_session, school):
    assistant = member(school, "teacher")
    EnrollmentFactory(course=open_session.course, user=assistant, role=Enrollment.Role.ASSISTANT)
    claims = _decode_hs(_join(open_session, assistant)["jwt"])
    assert claims["context"]["user"]["affiliation"] == "member"
    assert claims["context"]["user"]["moderator"] == "false"


def test_expiry_is_bounded_for_a_long_running_lesson(selfhosted, enrolled, teacher):
    now = timezone.now()
    session = LiveSessionFactory(
        course=enrolled, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=11)
    )
    claims = _decode_hs(_join(session, teacher)["jwt"])
    assert claims["exp"] <= int((now + timedelta(hours=12, seconds=5)).timestamp())


def test_public_mode_has_no_token(open_session, student):
    join = _join(open_session, student)
    assert join["mode"] == "public"
    assert join["jwt"] is None
    assert join["domain"] == "meet.jit.si"
    assert join["external_api_url"] == "https://meet.jit.si/external_api.js"


def test_non_member_cannot_join(selfhosted, open_session, school):
    outsider = member(school, "student")
    with pytest.raises(NotFound):
        _join(open_session, outsider)
    # A teacher of another course of the same school is an outsider too.
    other_teacher = member(school, "teacher")
    EnrollmentFactory(course=CourseFactory(school=school), user=other_teacher)
    with pytest.raises(NotFound):
        _join(open_session, other_teacher)


def test_dropped_student_cannot_join(open_session, student):
    Enrollment.objects.filter(user=student).update(status=Enrollment.Status.DROPPED)
    with pytest.raises(NotFound):
        _join(open_session, student)


def test_join_window(enrolled, student, settings):
    now = timezone.now()
    early = LiveSessionFactory(
        course=enrolled, starts_at=now + timedelta(minutes=30), ends_at=now + timedelta(hours=1)
    )
    with pytest.raises(Conflict, match="opens at") as caught:
        _join(early, student)
    assert caught.value.code == "not_open"
    settings.JOIN_WINDOW_MINUTES = 45
    assert _join(early, student)["room"] == early.room_name


def test_cannot_join_cancelled_or_ended(enrolled, teacher, student):
    now = timezone.now()
    cancelled = LiveSessionFactory(course=enrolled, status=LiveSession.Status.CANCELLED)
    with pytest.raises(Gone, match="cancelled"):
        _join(cancelled, student)
    over = LiveSessionFactory(
        course=enrolled, starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1)
    )
    with pytest.raises(Gone, match="ended"):
        _join(over, student)


def test_teacher_starts_early_and_ends(enrolled, teacher, student):
    now = timezone.now()
    session = LiveSessionFactory(
        course=enrolled, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2)
    )
    with pytest.raises(Conflict):
        _join(session, student)
    with pytest.raises(Forbidden):  # a member lacking the capability
        services.live_session_start(session=session, by=student)
    session = services.live_session_start(session=session, by=teacher)
    assert session.status == "live" and session.started_by == teacher and session.started_at
    assert _join(session, student)["room"] == session.room_name
    session = services.live_session_end(session=session, by=teacher)
    assert session.status == "ended" and session.ended_at
    with pytest.raises(Gone):
        _join(session, student)


def test_room_names_unique_and_unguessable(enrolled):
    sessions = LiveSessionFactory.create_batch(50, course=enrolled)
    names = [s.room_name for s in sessions] + [new_room_name() for _ in range(2000)]
    assert len(set(names)) == len(names)
    pattern = re.compile(r"^lophoc-[0-9a-f]{40}$")  # 160 random bits
    assert all(pattern.match(name) for name in names)
    assert enrolled.code.lower() not in names[0]
    # Different courses never share a room: the column is unique in the database.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        LiveSessionFactory(course=CourseFactory(), room_name=sessions[0].room_name)


def test_close_overdue(enrolled, teacher, settings):
    settings.LIVE_OVERRUN_MINUTES = 60
    now = timezone.now()
    unstarted = LiveSessionFactory(
        course=enrolled, starts_at=now - timedelta(hours=2), ends_at=now - timedelta(minutes=1)
    )
    running = LiveSessionFactory(
        course=enrolled,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(minutes=30),
        status=LiveSession.Status.LIVE,
        started_at=now - timedelta(hours=3),
    )
    assert services.live_sessions_close_overdue(now=now) == 1
    unstarted.refresh_from_db()
    running.refresh_from_db()
    assert unstarted.status == "ended" and running.status == "live"
    assert services.live_sessions_close_overdue(now=now + timedelta(hours=1)) == 1
    assert services.live_sessions_close_overdue(now=now + timedelta(hours=1)) == 0
