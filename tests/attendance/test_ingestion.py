"""Evidence in: event_sync and JaaS payloads in their documented formats, signatures, replays,
client events, and bad input (never a 5xx, nothing stored when refused)."""

import json
import time
from datetime import timedelta

import pytest

from attendance.models import PresenceEvent, PresenceInterval
from tests.factories import attendance as f
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(school, teacher, student):
    course = f.course_with(school, teacher, [student])
    session = f.lesson(course, minutes_ago=70, length=90, status="live")
    return session, student


def test_event_sync_occupant_joined_and_left(client, setup):
    session, student = setup
    start = session.starts_at
    assert f.es_post(client, "room/created", f.es_room_created(session, start)).status_code == 200
    response = f.es_post(client, "occupant/joined", f.es_joined(session, student, start))
    assert response.status_code == 200 and response.json() == {"stored": 1, "matched": True}
    left = f.es_left(session, student, start + timedelta(minutes=20), joined=start)
    assert f.es_post(client, "occupant/left", left).status_code == 200
    event = PresenceEvent.objects.get(kind="left")
    assert event.session == session and event.user == student and event.source == "event_sync"
    assert event.raw["occupant"]["occupant_jid"].endswith("/abcd1234")
    intervals = list(PresenceInterval.objects.filter(session=session, user=student))
    assert [(i.started_at, i.ended_at) for i in intervals] == [
        (start, start + timedelta(minutes=20))
    ]


def test_event_sync_room_destroyed_with_empty_occupants_and_with_history(client, setup):
    session, student = setup
    start = session.starts_at
    body = f.es_room_destroyed(session, start + timedelta(minutes=50))
    assert body["all_occupants"] == {}
    assert f.es_post(client, "room/destroyed", body).status_code == 200
    # all_occupants restores a lost joined/left pair.
    occupant = f.occupant(student, session=session)
    occupant.update(joined_at=f.seconds(start), left_at=f.seconds(start + timedelta(minutes=40)))
    body = f.es_room_destroyed(session, start + timedelta(minutes=50), [occupant])
    assert f.es_post(client, "room/destroyed", body).json()["stored"] == 3
    interval = PresenceInterval.objects.get(session=session, user=student)
    assert interval.ended_at == start + timedelta(minutes=40)


def test_event_sync_needs_the_bearer_token(client, setup):
    session, student = setup
    payload = f.es_joined(session, student, session.starts_at)
    assert f.es_post(client, "occupant/joined", payload, token="").status_code == 401
    assert f.es_post(client, "occupant/joined", payload, token="wrong").status_code == 403
    assert not PresenceEvent.objects.exists()


def test_event_sync_unknown_room_and_user_are_stored_unmatched(client, setup):
    session, student = setup
    other = f.es_joined(session, student, session.starts_at)
    other["room_name"] = "not-a-lophoc-room"
    response = f.es_post(client, "occupant/joined", other)
    assert response.status_code == 200 and response.json()["matched"] is False
    stranger = f.es_joined(session, student, session.starts_at)
    stranger["occupant"]["id"] = "guest-xyz"
    assert f.es_post(client, "occupant/joined", stranger).status_code == 200
    reasons = sorted(PresenceEvent.objects.values_list("unmatched", flat=True))
    assert reasons == ["unknown_room", "unknown_user"]


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[1, 2]",
        json.dumps({"room_name": "x", "occupant": {"id": "1", "joined_at": "soon"}}),
        json.dumps({"room_name": "x", "occupant": {"id": "1", "joined_at": 10**15}}),
        json.dumps({"room_name": "x", "occupant": "nope"}),
        json.dumps({"occupant": {"id": "1"}}),
        json.dumps({"room_name": ["x"]}),
    ],
)
def test_event_sync_bad_input_is_400_never_500(client, setup, body):
    response = f.es_post(client, "occupant/joined", body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not PresenceEvent.objects.exists()


def test_event_sync_nul_characters_do_not_break_storage(client, setup):
    session, student = setup
    payload = f.es_joined(session, student, session.starts_at, name="Bad\u0000Name")
    assert f.es_post(client, "occupant/joined", payload).status_code == 200


# --- JaaS ---------------------------------------------------------------------------------------


def test_jaas_valid_signature_is_stored(client, setup):
    session, student = setup
    payload = f.jaas_event("PARTICIPANT_JOINED", session, session.starts_at, user=student)
    response = f.jaas_post(client, payload)
    assert response.status_code == 200 and response.json()["matched"] is True
    event = PresenceEvent.objects.get()
    assert (event.source, event.kind, event.user, event.session) == (
        "jaas",
        "joined",
        student,
        session,
    )
    assert event.occurred_at == session.starts_at


def test_jaas_tampered_body_is_refused(client, setup):
    session, student = setup
    payload = f.jaas_event("PARTICIPANT_JOINED", session, session.starts_at, user=student)
    raw = json.dumps(payload).encode()
    header = f.jaas_sign(raw)
    tampered = raw.replace(str(student.pk).encode(), b"999999", 1)
    assert f.jaas_post(client, None, body=tampered, header=header).status_code == 403
    assert not PresenceEvent.objects.exists()


def test_jaas_wrong_secret_missing_header_stale_and_replay(client, setup):
    session, student = setup
    payload = f.jaas_event("PARTICIPANT_JOINED", session, session.starts_at, user=student)
    assert f.jaas_post(client, payload, secret="whsec_other").status_code == 403
    # The secret is used as given, whsec_ prefix included.
    unprefixed = f.JAAS_SECRET.removeprefix("whsec_")
    assert f.jaas_post(client, payload, secret=unprefixed).status_code == 403
    assert f.jaas_post(client, payload, header="").status_code == 401
    assert f.jaas_post(client, payload, header="t=abc").status_code == 403
    stale = int(time.time()) - 301
    assert f.jaas_post(client, payload, t=stale).status_code == 403
    assert not PresenceEvent.objects.exists()
    assert f.jaas_post(client, payload).status_code == 200
    retry = f.jaas_post(client, payload)  # same idempotencyKey, freshly signed
    assert retry.status_code == 200 and retry.json() == {"stored": 0, "duplicate": True}
    assert PresenceEvent.objects.count() == 1


def test_jaas_events_in_any_order(client, setup):
    session, student = setup
    start = session.starts_at
    events = [
        f.jaas_event("ROOM_DESTROYED", session, start + timedelta(minutes=55)),
        f.jaas_event("PARTICIPANT_LEFT", session, start + timedelta(minutes=45), user=student),
        f.jaas_event("PARTICIPANT_JOINED", session, start, user=student),
        f.jaas_event("ROOM_CREATED", session, start - timedelta(minutes=1)),
        f.jaas_event("RECORDING_STARTED", session, start),
    ]
    # Joined and left of one participant share its participantId.
    events[2]["data"]["participantId"] = events[1]["data"]["participantId"]
    for payload in events:
        assert f.jaas_post(client, payload).status_code == 200
    assert PresenceEvent.objects.count() == 4
    interval = PresenceInterval.objects.get(session=session, user=student)
    assert (interval.started_at, interval.ended_at) == (start, start + timedelta(minutes=45))


def test_jaas_not_configured_is_401(client, setup, settings):
    settings.ATTENDANCE_JAAS_WEBHOOK_SECRET = ""
    session, student = setup
    payload = f.jaas_event("PARTICIPANT_JOINED", session, session.starts_at, user=student)
    assert f.jaas_post(client, payload).status_code == 401


def test_jaas_malformed_json_is_400(client, setup):
    raw = b"{broken"
    assert f.jaas_post(client, None, body=raw).status_code == 400
    assert f.jaas_post(client, {"eventType": "PARTICIPANT_JOINED"}).status_code == 400


# --- client events ------------------------------------------------------------------------------


def _presence(api_client, session, **body):
    with f.folding():
        return api_client.post(
            f"/api/v1/attendance/sessions/{session.pk}/presence/",
            {"kind": "joined", "connection": "tab-1", **body},
            format="json",
        )


def test_client_events_for_yourself_only(api_client, setup, school):
    session, student = setup
    api_client.force_authenticate(student)
    assert _presence(api_client, session).status_code == 201
    assert _presence(api_client, session, kind="heartbeat").status_code == 201
    other = member(school, "student")
    refused = _presence(api_client, session, user=other.pk)
    assert refused.status_code == 403
    assert PresenceEvent.objects.filter(source="client").count() == 2
    assert set(PresenceEvent.objects.values_list("user", flat=True)) == {student.pk}
    interval = PresenceInterval.objects.get(session=session, user=student)
    assert interval.is_open and interval.source == "client"


def test_client_events_need_an_enrolment_and_the_lesson_window(api_client, setup, school):
    session, _student = setup
    stranger = member(school, "student")
    api_client.force_authenticate(stranger)
    assert _presence(api_client, session).status_code == 404
    admin = member(school, "admin")  # may observe the lesson: their presence is recorded too
    api_client.force_authenticate(admin)
    assert _presence(api_client, session).status_code == 201
    enrolled = f.course_with(school, None, [stranger])
    past = f.lesson(enrolled, minutes_ago=300, length=60)
    api_client.force_authenticate(stranger)
    response = _presence(api_client, past)
    assert response.status_code == 409 and response.json()["code"] == "outside_window"
    assert _presence(api_client, past, kind="bogus").status_code == 400
    assert list(PresenceEvent.objects.values_list("user", flat=True)) == [admin.pk]


def test_client_events_are_rate_limited(api_client, setup, settings):
    settings.ATTENDANCE_CLIENT_EVENTS_PER_MINUTE = 3
    session, student = setup
    api_client.force_authenticate(student)
    codes = [_presence(api_client, session, kind="heartbeat").status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]


def test_an_event_is_stored_as_the_model_would_store_it(setup):
    """Ingestion writes its row with one prepared statement, not Model.save(): every column
    reads back as saved through the model."""
    from django.utils import timezone

    from attendance import services

    session, student = setup
    raw = {"occupant": {"name": "Nguyễn Thị Ánh", "nested": [1, 2.5, None, True]}, "q": "'\"\\"}
    before = timezone.now()
    event = services.event_record(
        source="jaas", kind="joined", occurred_at=session.starts_at, room_name=session.room_name,
        occupant_id=str(student.pk), connection_id="c-1", display_name="Ánh", raw=raw,
        dedupe_key="jaas:k-1",
    )  # fmt: skip
    stored = PresenceEvent.objects.get(pk=event.pk)
    assert (stored.session, stored.user, stored.kind, stored.source) == (
        session, student, "joined", "jaas"
    )  # fmt: skip
    assert stored.occurred_at == session.starts_at and before <= stored.received_at
    assert (stored.connection, stored.display_name, stored.dedupe_key) == ("c-1", "Ánh", "jaas:k-1")
    assert stored.raw == raw and stored.unmatched == "" and stored.folded is False
    assert not event._state.adding and event.received_at == stored.received_at
    # The same delivery again is a replay: refused by the database, nothing stored.
    again = services.event_record(
        source="jaas", kind="joined", occurred_at=session.starts_at, room_name=session.room_name,
        occupant_id=str(student.pk), raw=raw, dedupe_key="jaas:k-1",
    )  # fmt: skip
    assert again is None and PresenceEvent.objects.count() == 1
