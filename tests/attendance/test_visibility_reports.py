"""Who sees what (404 for everything else), pages and exports, and reports that run the same
number of queries for 5 and for 200 students and lessons."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance import services
from attendance.models import AttendanceMark, Dispute, MarkChange, PresenceEvent
from courses.models import Enrollment
from tests.factories import attendance as f
from tests.factories.courses import bulk_enrol, bulk_members
from tests.factories.lms import SchoolFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school, teacher, student, admin_user):
    classmate = member(school, "student")
    course = f.course_with(school, teacher, [student, classmate])
    session = f.lesson(course, minutes_ago=120, length=60, status="ended")
    services.marks_compute(session=session)
    other_school = SchoolFactory()
    return {
        "course": course,
        "session": session,
        "mine": AttendanceMark.objects.get(session=session, user=student),
        "theirs": AttendanceMark.objects.get(session=session, user=classmate),
        "classmate": classmate,
        "outsider_teacher": member(school, "teacher"),
        "other_admin": member(other_school, "admin"),
    }


def urls(w, student):
    s, c, m = w["session"].pk, w["course"].pk, w["mine"].pk
    return {
        "lesson": f"/api/v1/attendance/sessions/{s}/marks/",
        "roster": f"/api/v1/attendance/sessions/{s}/roster/",
        "mark": f"/api/v1/attendance/marks/{m}/",
        "theirs": f"/api/v1/attendance/marks/{w['theirs'].pk}/",
        "matrix": f"/api/v1/attendance/courses/{c}/matrix/",
        "history": f"/api/v1/attendance/courses/{c}/students/{student.pk}/",
        "policy": f"/api/v1/attendance/courses/{c}/policy/",
        "school": f"/api/v1/attendance/schools/{w['course'].school.slug}/",
        "page_lesson": f"/attendance/lessons/{s}/",
        "page_mark": f"/attendance/marks/{m}/",
        "page_theirs": f"/attendance/marks/{w['theirs'].pk}/",
        "page_course": f"/attendance/courses/{c}/",
        "page_history": f"/attendance/courses/{c}/students/{student.pk}/",
        "page_school": f"/attendance/schools/{w['course'].school.slug}/",
        "page_roster": f"/attendance/lessons/{s}/roster/",
        "page_policy": f"/attendance/courses/{c}/rules/",
    }


ALL = {
    "lesson",
    "roster",
    "mark",
    "theirs",
    "matrix",
    "history",
    "policy",
    "page_lesson",
    "page_mark",
    "page_theirs",
    "page_course",
    "page_history",
    "page_roster",
    "page_policy",
}
MATRIX = {
    # The course page sends a student to their own history.
    "student": {
        "lesson",
        "mark",
        "history",
        "page_lesson",
        "page_mark",
        "page_history",
        "page_course",
    },
    "teacher": ALL,
    "admin": ALL | {"school", "page_school"},
    "outsider_teacher": set(),
    "other_admin": set(),
}


SCHOOL_MEMBERS = {"student", "teacher", "outsider_teacher"}


@pytest.mark.parametrize("who", list(MATRIX))
def test_visibility_matrix(client, world, who, student, teacher, admin_user):
    user = {
        "student": student,
        "teacher": teacher,
        "admin": admin_user,
        "outsider_teacher": world["outsider_teacher"],
        "other_admin": world["other_admin"],
    }[who]
    client.force_login(user)
    for name, url in urls(world, student).items():
        expected = 200 if name in MATRIX[who] else 404
        if name in ("school", "page_school") and who in SCHOOL_MEMBERS:
            expected = 403  # they know their school exists; its report is not theirs
        response = client.get(url)
        if response.status_code == 302:  # the course page sends a student to their history
            response = client.get(response["Location"])
        assert response.status_code == expected, (who, name, response.status_code)


def test_a_student_sees_only_their_own_row(api_client, world, student):
    api_client.force_authenticate(student)
    rows = api_client.get(f"/api/v1/attendance/sessions/{world['session'].pk}/marks/").json()
    assert [r["user"]["id"] for r in rows["rows"]] == [student.pk]
    other = world["classmate"]
    url = f"/api/v1/attendance/courses/{world['course'].pk}/students/{other.pk}/"
    assert api_client.get(url).status_code == 404
    override = api_client.post(
        f"/api/v1/attendance/marks/{world['mine'].pk}/override/",
        {"status": "present", "reason": "me"},
        format="json",
    )
    assert override.status_code == 403  # their own mark: visible, not theirs to change


def test_overrides_by_teacher_and_admin_not_assistant(api_client, world, school, admin_user):
    assistant = member(school, "teacher")
    Enrollment.objects.create(course=world["course"], user=assistant, role="assistant")
    url = f"/api/v1/attendance/marks/{world['mine'].pk}/override/"
    api_client.force_authenticate(assistant)
    assert api_client.post(url, {"status": "excused", "reason": "x"}).status_code == 403
    api_client.force_authenticate(admin_user)
    response = api_client.post(url, {"status": "excused", "reason": "Giấy phép"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "excused"
    assert response.json()["computed_status"] == "absent"


def test_exports_csv_and_xlsx(client, world, teacher, admin_user):
    client.force_login(teacher)
    base = f"/api/v1/attendance/sessions/{world['session'].pk}/marks/"
    csv = client.get(base + "?export=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert world["classmate"].full_name in text and "absent" in text
    xlsx = client.get(f"/attendance/courses/{world['course'].pk}/?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Marks", "Lessons"]  # one table per sheet
    rows = list(book["Marks"].values)
    assert rows[0][0] == "Student" and len(rows) == 1 + 2  # header, 2 students
    assert rows[1][-1] == 0 and book["Marks"].cell(2, len(rows[0])).number_format == "0%"
    assert len(list(book["Lessons"].values)) == 1 + 1
    assert client.get(base + "?export=pdf").status_code == 400
    client.force_login(admin_user)
    school = client.get(f"/api/v1/attendance/schools/{world['course'].school.slug}/?export=xlsx")
    assert school.status_code == 200
    assert client.get("/api/v1/attendance/me/?export=csv").status_code == 200


def test_unmatched_report(client, api_client, world, admin_user, school):
    services.event_record(
        source="event_sync",
        kind="joined",
        occurred_at=world["session"].starts_at,
        room_name="unknown-room",
        occupant_id="5",
    )
    services.event_record(
        source="event_sync",
        kind="joined",
        occurred_at=world["session"].starts_at,
        session=world["session"],
        occupant_id="guest",
    )
    api_client.force_authenticate(admin_user)
    rows = api_client.get("/api/v1/attendance/unmatched/").json()["results"]
    assert [r["reason"] for r in rows] == ["unknown_user"]  # their school's lessons only
    staff = member(school, "student", is_staff=True)
    api_client.force_authenticate(staff)
    assert api_client.get("/api/v1/attendance/unmatched/").json()["count"] == 2
    client.force_login(admin_user)
    assert client.get("/attendance/unmatched/").status_code == 200


def test_pages_for_override_and_dispute(client, world, student, teacher):
    client.force_login(student)
    mark_url = f"/attendance/marks/{world['mine'].pk}/"
    response = client.post(
        mark_url,
        {"action": "dispute", "dispute-message": "Em có mặt", "dispute-requested_status": ""},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    client.force_login(teacher)
    response = client.post(
        f"/attendance/disputes/{dispute.pk}/resolve/",
        {"resolve-decision": "accept", "resolve-status": "late", "resolve-reply": "Đồng ý"},
    )
    assert response.status_code == 302
    response = client.post(
        mark_url,
        {"action": "override", "override-status": "present", "override-reason": "Có mặt"},
    )
    assert response.status_code == 302
    page = client.get(mark_url).content.decode()
    assert "Có mặt" in page and "Đồng ý" in page
    assert list(MarkChange.objects.filter(mark=world["mine"]).values_list("action", flat=True)) == [
        "computed",
        "dispute_accepted",
        "overridden",
    ]


# --- query counts -------------------------------------------------------------------------------


def build(school, teacher, size: int):
    """A course with `size` students and `size` ended lessons, every mark computed."""
    course = f.course_with(school, teacher, [])
    students = bulk_members(school, size, prefix=f"q{size}-")
    bulk_enrol(course, students)
    sessions = [
        f.lesson(course, minutes_ago=60 * 24 * (i % 20) + 90 + i, length=60, status="ended")
        for i in range(size)
    ]
    events = []
    for session in sessions[:3]:
        for user in students:
            for kind, minute in (("joined", 0), ("left", 50)):
                events.append(
                    PresenceEvent(
                        source="event_sync",
                        kind=kind,
                        occurred_at=session.starts_at + timedelta(minutes=minute),
                        session=session,
                        user=user,
                        occupant_id=str(user.pk),
                        connection="r",
                        room_name=session.room_name,
                    )
                )
    PresenceEvent.objects.bulk_create(events)
    for session in sessions:
        services.marks_compute(session=session)
    return course, sessions, students


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def report_urls(course, sessions, students):
    slug = course.school.slug
    return [
        f"/api/v1/attendance/sessions/{sessions[0].pk}/marks/",
        f"/api/v1/attendance/sessions/{sessions[0].pk}/marks/?export=csv",
        f"/api/v1/attendance/sessions/{sessions[0].pk}/roster/",
        f"/api/v1/attendance/courses/{course.pk}/matrix/",
        f"/api/v1/attendance/courses/{course.pk}/matrix/?export=xlsx",
        f"/api/v1/attendance/courses/{course.pk}/students/{students[0].pk}/",
        f"/api/v1/attendance/schools/{slug}/",
        f"/api/v1/attendance/schools/{slug}/?export=csv",
        f"/attendance/lessons/{sessions[0].pk}/",
        f"/attendance/courses/{course.pk}/",
        f"/attendance/courses/{course.pk}/students/{students[0].pk}/",
        f"/attendance/schools/{slug}/",
        f"/attendance/lessons/{sessions[0].pk}/roster/",
    ]


def test_reports_run_the_same_number_of_queries_for_5_and_200(client, admin_user, teacher):
    counts = {}
    for size in (5, 200):
        school = SchoolFactory()
        admin = member(school, "admin")
        course, sessions, students = build(school, member(school, "teacher"), size)
        assert AttendanceMark.objects.filter(course=course).count() == size * size
        client.force_login(admin)
        counts[size] = [count_queries(client, u) for u in report_urls(course, sessions, students)]
    print("attendance report query counts (5 and 200):", counts[5], counts[200])
    assert counts[5] == counts[200], counts
