"""Presence without video, the fold queue (debounce, sweep), and attendance's access and
export findings (#8): each test here failed before its fix."""

import base64
import hashlib
import hmac
import io
import json
from datetime import timedelta
from unittest import mock

import openpyxl
import pytest
from django.core.cache import cache
from django.utils import timezone

from attendance import services, tasks, webhooks
from attendance.models import AttendanceMark, PresenceEvent, PresenceInterval
from lms.errors import ServiceError
from tests.factories import attendance as f
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


def record(session, user, kind, at, *, source="event_sync", connection="r1"):
    return services.event_record(
        source=source,
        kind=kind,
        occurred_at=at,
        session=session,
        user=user,
        occupant_id=str(user.pk),
        connection_id=connection,
    )


def test_here_without_video_on_the_roster_and_on_the_mark(client, api_client, school, teacher):
    with_video, no_video, away = (member(school, "student") for _ in range(3))
    course = f.course_with(school, teacher, [with_video, no_video, away])
    session = f.lesson(course, minutes_ago=20, length=60, status="live")
    api_client.force_authenticate(no_video)
    with f.folding():
        record(session, with_video, "joined", session.starts_at)
    # The room never loaded for her: the page alone reports her, with video=false.
    for _ in range(2):
        with f.folding():
            posted = api_client.post(
                f"/api/v1/attendance/sessions/{session.pk}/presence/",
                {"kind": "heartbeat", "connection": "tab-1", "video": False},
                format="json",
            )
        assert posted.status_code == 201
    assert PresenceEvent.objects.filter(user=no_video).first().raw["video"] is False
    api_client.force_authenticate(teacher)
    roster = api_client.get(f"/api/v1/attendance/sessions/{session.pk}/roster/").json()
    assert [r["user"]["id"] for r in roster["in_now"]] == [with_video.pk]
    assert [r["user"]["id"] for r in roster["without_video"]] == [no_video.pk]
    assert roster["without_video"][0]["without_video"] is True
    assert [r["user"]["id"] for r in roster["not_come"]] == [away.pk]
    client.force_login(teacher)
    page = client.get(f"/attendance/lessons/{session.pk}/roster/")
    assert 'data-testid="roster-without-video"' in page.content.decode()
    # The server's evidence decides the mark; the flag tells the teacher why to look.
    for minute in range(0, 61, 1):
        PresenceEvent.objects.create(
            source="client",
            kind="heartbeat",
            occurred_at=session.starts_at + timedelta(minutes=minute),
            session=session,
            user=no_video,
            connection="tab-1",
        )
    session.status = "ended"
    session.save()
    services.marks_compute(session=session)
    mark = AttendanceMark.objects.get(session=session, user=no_video)
    assert mark.status == "absent" and "without_video" in mark.flags
    assert "without_video" not in AttendanceMark.objects.get(user=with_video).flags


def _slot_clock(at: float = 1_000_000.0):
    """The web process's clock, fixed: folds are debounced per time slot."""
    return mock.patch("attendance.services.evidence._clock", return_value=at)


def test_a_burst_for_one_person_is_folded_once(school, teacher, settings):
    student = member(school, "student")
    session = f.lesson(f.course_with(school, teacher, [student]), minutes_ago=20, status="live")
    queued = mock.patch("attendance.tasks.presence_fold.apply_async")
    with queued as queue, _slot_clock(), f.folding():
        for minute in range(5):
            record(session, student, "joined", session.starts_at + timedelta(minutes=minute))
    assert queue.call_count == 1  # five events, one fold
    assert queue.call_args.args[0] == (session.pk, student.pk)
    assert PresenceEvent.objects.filter(folded=False).count() == 5
    assert not PresenceInterval.objects.exists()  # ingestion only records


def test_a_class_joining_at_once_queues_one_fold_for_the_lesson(school, teacher):
    students = [member(school, "student") for _ in range(3)]
    session = f.lesson(f.course_with(school, teacher, students), minutes_ago=20, status="live")
    queued = mock.patch("attendance.tasks.presence_fold.apply_async")
    with queued as queue, _slot_clock(), f.folding():
        for student in students:
            record(session, student, "joined", session.starts_at)
        services.event_record(
            source="event_sync", kind="room_destroyed", occurred_at=timezone.now(), session=session
        )
    # One fold takes everyone whose evidence waits; a closed room has its own.
    assert [c.args[0] for c in queue.call_args_list] == [
        (session.pk, students[0].pk),
        (session.pk, None),
    ]
    assert services.presence_fold(session_id=session.pk, user_id=students[0].pk) == 3
    assert PresenceInterval.objects.filter(session=session).count() == 3


def test_a_busy_lesson_asks_the_cache_once_per_slot(school, teacher, settings):
    settings.ATTENDANCE_FOLD_DELAY_SECONDS = 30
    # As in production: the queued fold runs later in a worker (tests run tasks eagerly).
    conf = tasks.presence_fold.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    try:
        _busy_lesson(school, teacher)
    finally:
        conf.task_always_eager = eager


def _busy_lesson(school, teacher):
    students = [member(school, "student") for _ in range(5)]
    session = f.lesson(f.course_with(school, teacher, students), minutes_ago=20, status="live")
    queued = mock.patch("attendance.tasks.presence_fold.apply_async")
    asked = mock.patch.object(cache, "add", wraps=cache.add)
    start = 30 * 40_000 - (session.pk % 16) / 16 * 30  # a slot of this lesson begins
    with queued as queue, asked as add, _slot_clock(start + 10), f.folding():
        for student in students:
            record(session, student, "joined", session.starts_at)
    # One fold, due just after the slot ends, reads every event of the slot: the cache is
    # asked once, and the fold is told its claim.
    assert queue.call_count == 1 and add.call_count == 1
    assert queue.call_args.kwargs["countdown"] == pytest.approx(20.25)
    claim = queue.call_args.args[1]["claim"]
    # Another process, later in the same slot, finds it claimed and queues nothing.
    services.resolution_cache_clear()
    with queued as queue, asked as add, _slot_clock(start + 29), f.folding():
        record(session, students[0], "left", session.starts_at + timedelta(minutes=5))
        record(session, students[1], "left", session.starts_at + timedelta(minutes=5))
    assert queue.call_count == 0 and add.call_count == 1
    # The next slot's first event queues the next fold, whatever became of the last one (it
    # may have been lost with a purged queue): nothing waits for it.
    with queued as queue, _slot_clock(start + 31), f.folding():
        record(session, students[0], "joined", session.starts_at + timedelta(minutes=6))
    assert queue.call_count == 1 and queue.call_args.args[1]["claim"] != claim
    # The fold deletes its claim when it runs (early only when run eagerly, in the request).
    assert cache.get(claim) is not None
    services.presence_fold(session_id=session.pk, user_id=students[0].pk, claim=claim)
    assert cache.get(claim) is None


def test_the_sweep_folds_what_no_task_folded(school, teacher):
    student = member(school, "student")
    session = f.lesson(f.course_with(school, teacher, [student]), minutes_ago=30, status="live")
    down = mock.patch("attendance.tasks.presence_fold.apply_async", side_effect=OSError("down"))
    with down, f.folding():  # the broker is down: the events are accepted all the same
        record(session, student, "joined", session.starts_at)
        record(session, student, "left", session.starts_at + timedelta(minutes=10))
    assert PresenceEvent.objects.filter(folded=False).count() == 2
    assert services.folds_sweep() == 0  # too fresh: a task may still be on its way
    assert services.folds_sweep(now=timezone.now() + timedelta(minutes=2)) == 1
    assert not PresenceEvent.objects.filter(folded=False).exists()
    interval = PresenceInterval.objects.get(session=session, user=student)
    assert interval.ended_at - interval.started_at == timedelta(minutes=10)


def test_services_check_the_acting_users_capability(school, teacher):
    student = member(school, "student")
    session = f.lesson(f.course_with(school, teacher, [student]), status="ended")
    with pytest.raises(ServiceError) as refused:
        services.marks_compute(session=session, by=student)
    assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        services.marks_compute(session=session, by=member(school, "teacher"))
    assert refused.value.status == 404  # not their course: it does not exist for them
    assert services.marks_compute(session=session, by=teacher)


def test_school_admin_may_compute_marks_on_the_page_as_in_the_api(client, school, teacher):
    admin = member(school, "admin")
    student = member(school, "student")
    session = f.lesson(f.course_with(school, teacher, [student]), status="ended")
    client.force_login(admin)
    page = client.get(f"/attendance/lessons/{session.pk}/").content.decode()
    assert 'value="compute"' in page
    response = client.post(f"/attendance/lessons/{session.pk}/", {"action": "compute"})
    assert response.status_code == 302
    assert AttendanceMark.objects.filter(session=session).count() == 1


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://evil.test","x")', "+1+1", "-2", "@SUM(A1)", "\tTab", "Lê\u0001Văn\u001f"],
)
def test_exports_neutralise_formulas_and_control_characters(client, school, teacher, name):
    student = member(school, "student", full_name=name)
    course = f.course_with(school, teacher, [student])
    session = f.lesson(course, status="ended")
    services.marks_compute(session=session)
    client.force_login(teacher)
    for url in (
        f"/attendance/lessons/{session.pk}/?export=xlsx",
        f"/attendance/courses/{course.pk}/?export=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cell = book.worksheets[0].cell(2, 1)
        assert cell.data_type == "s" and not str(cell.value).startswith(("=", "+", "-", "@", "\t"))
        assert "\u0001" not in str(cell.value)
    text = client.get(f"/attendance/courses/{course.pk}/?export=csv").content.decode("utf-8-sig")
    line = text.splitlines()[1]
    assert not line.startswith(("=", "+", "-", "@", "\t")) and "\u0001" not in line


@pytest.mark.parametrize("t", ["nan", "inf", "-inf", "NaN"])
def test_jaas_signature_with_a_non_finite_time_is_refused(client, school, teacher, t):
    session = f.lesson(f.course_with(school, teacher, []), status="live")
    body = json.dumps(f.jaas_event("ROOM_CREATED", session, timezone.now())).encode()
    digest = hmac.new(f.JAAS_SECRET.encode(), f"{t}.".encode() + body, hashlib.sha256).digest()
    header = f"t={t},v1={base64.b64encode(digest).decode()}"
    assert webhooks.jaas_verify(header, body) == "malformed"
    response = f.jaas_post(client, None, body=body, header=header)
    assert response.status_code == 403 and not PresenceEvent.objects.exists()


def test_semicolon_csv_and_one_table_per_file(client, school, admin_user, teacher):
    student = member(school, "student")
    course = f.course_with(school, teacher, [student])
    session = f.lesson(course, status="ended")
    services.marks_compute(session=session)
    client.force_login(admin_user)
    base = f"/api/v1/attendance/schools/{school.slug}/?export=csv"
    courses = client.get(base + "&sep=semicolon").content.decode("utf-8-sig").splitlines()
    assert courses[0].split(";")[:2] == ["Course code", "Course"]
    assert all(len(line.split(";")) == 4 for line in courses)
    under = client.get(base + "&table=2").content.decode("utf-8-sig").splitlines()
    assert under[0].split(",") == ["Student", "E-mail", "Marks counted", "Attendance rate (%)"]
    xlsx = client.get(f"/api/v1/attendance/schools/{school.slug}/?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Courses", "Weeks", "Under the threshold"]


def test_reports_sort_people_vietnamese_style(api_client, school, teacher):
    names = ["Phạm Văn Zô", "Trần Văn Đức", "Lê Thị Dung", "Nguyễn Văn An"]
    students = [member(school, "student", full_name=n) for n in names]
    course = f.course_with(school, teacher, students)
    session = f.lesson(course, status="ended")
    services.marks_compute(session=session)
    api_client.force_authenticate(teacher)
    matrix = api_client.get(f"/api/v1/attendance/courses/{course.pk}/matrix/").json()
    wanted = ["Nguyễn Văn An", "Lê Thị Dung", "Trần Văn Đức", "Phạm Văn Zô"]  # Đ after D
    assert [r["user"]["name"] for r in matrix["rows"]] == wanted
    lesson = api_client.get(f"/api/v1/attendance/sessions/{session.pk}/marks/").json()
    assert [r["user"]["name"] for r in lesson["rows"]] == wanted
