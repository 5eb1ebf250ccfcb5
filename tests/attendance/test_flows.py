"""Presence checks, disputes and alerts, through the API as the pages use it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from attendance import services
from attendance.models import AttendanceMark, ChronicAbsence, PresencePrompt
from lms.models import Notification
from tests.factories import attendance as f
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


def join(session, user, minutes=0, resource="r"):
    services.event_record(
        source="event_sync",
        kind="joined",
        occurred_at=session.starts_at + timedelta(minutes=minutes),
        session=session,
        user=user,
        occupant_id=str(user.pk),
        connection_id=resource,
    )


def test_presence_check_flow(api_client, school, teacher):
    inside, answering, away = (member(school, "student") for _ in range(3))
    course = f.course_with(school, teacher, [inside, answering, away])
    session = f.lesson(course, minutes_ago=20, length=60, status="live")
    join(session, inside)
    join(session, answering)
    api_client.force_authenticate(inside)
    assert api_client.post(f"/api/v1/attendance/sessions/{session.pk}/checks/").status_code == 404
    api_client.force_authenticate(teacher)
    response = api_client.post(f"/api/v1/attendance/sessions/{session.pk}/checks/")
    assert response.status_code == 201 and response.json()["prompts"] == 2
    again = api_client.post(f"/api/v1/attendance/sessions/{session.pk}/checks/")
    assert again.status_code == 409  # one check at a time
    api_client.force_authenticate(away)
    prompt_url = f"/api/v1/attendance/sessions/{session.pk}/prompt/"
    assert api_client.get(prompt_url).json() == {"prompt": None}
    api_client.force_authenticate(answering)
    prompt = api_client.get(prompt_url).json()["prompt"]
    answer = api_client.post(f"/api/v1/attendance/prompts/{prompt['id']}/answer/")
    assert answer.status_code == 200 and answer.json()["prompt"]["answered_at"]
    api_client.force_authenticate(inside)
    assert api_client.post(f"/api/v1/attendance/prompts/{prompt['id']}/answer/").status_code == 404
    own = PresencePrompt.objects.get(user=inside)
    late = timezone.now() + timedelta(seconds=61)
    with pytest.raises(services.Gone):
        services.presence_prompt_answer(prompt=own, user=inside, now=late)
    api_client.force_authenticate(teacher)
    roster = api_client.get(f"/api/v1/attendance/sessions/{session.pk}/roster/").json()
    assert {r["user"]["id"] for r in roster["in_now"]} == {inside.pk, answering.pk}
    assert [r["user"]["id"] for r in roster["not_come"]] == [away.pk]
    assert roster["check"]["asked"] == 2 and roster["check"]["answered"] == 1
    session.status = "ended"
    session.save()
    services.marks_compute(session=session)
    inside_mark = AttendanceMark.objects.get(session=session, user=inside)
    answered_mark = AttendanceMark.objects.get(session=session, user=answering)
    assert (inside_mark.checks_asked, inside_mark.checks_answered) == (1, 0)
    assert "missed_checks" in inside_mark.flags
    assert (answered_mark.checks_asked, answered_mark.checks_answered) == (1, 1)


@pytest.fixture
def marked(school, teacher, django_capture_on_commit_callbacks):
    student = member(school, "student", guardian_email="me.hs@example.test")
    student.preferred_language = "vi"
    student.save()
    course = f.course_with(school, teacher, [student])
    session = f.lesson(course, minutes_ago=120, length=60, status="ended")
    with django_capture_on_commit_callbacks(execute=True):
        services.marks_compute(session=session)
    return student, AttendanceMark.objects.get(session=session, user=student)


def test_dispute_flow(api_client, marked, teacher, school):
    student, mark = marked
    url = f"/api/v1/attendance/marks/{mark.pk}/disputes/"
    api_client.force_authenticate(member(school, "student"))
    assert api_client.post(url, {"message": "x"}, format="json").status_code == 404
    api_client.force_authenticate(student)
    assert api_client.post(url, {"message": ""}, format="json").status_code == 400
    body = {"message": "Em ở trong phòng, mạng yếu", "requested_status": "present"}
    created = api_client.post(url, body, format="json")
    assert created.status_code == 201
    assert api_client.post(url, body, format="json").status_code == 409
    dispute_id = created.json()["id"]
    resolve = f"/api/v1/attendance/disputes/{dispute_id}/resolve/"
    assert api_client.post(resolve, {"accept": True}, format="json").status_code == 404
    api_client.force_authenticate(teacher)
    assert [d["id"] for d in api_client.get("/api/v1/attendance/disputes/").json()["results"]] == [
        dispute_id
    ]
    declined = api_client.post(resolve, {"accept": False}, format="json")
    assert declined.status_code == 400  # a reply is required to decline
    accepted = api_client.post(resolve, {"accept": True, "reply": "Đồng ý"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    detail = api_client.get(f"/api/v1/attendance/marks/{mark.pk}/").json()
    assert detail["status"] == "present" and detail["computed_status"] == "absent"
    assert [h["action"] for h in detail["history"]] == ["computed", "dispute_accepted"]
    assert detail["disputes"][0]["reply"] == "Đồng ý"
    assert (
        api_client.post(resolve, {"accept": False, "reply": "no"}, format="json").status_code == 409
    )
    # A second dispute can be declined with a reply; both are kept.
    api_client.force_authenticate(student)
    second = api_client.post(url, {"message": "Và lần nữa"}, format="json").json()["id"]
    api_client.force_authenticate(teacher)
    resolve = f"/api/v1/attendance/disputes/{second}/resolve/"
    response = api_client.post(resolve, {"accept": False, "reply": "Không"}, format="json")
    assert response.json()["status"] == "declined"
    assert len(api_client.get(f"/api/v1/attendance/marks/{mark.pk}/").json()["disputes"]) == 2


def test_absence_alerts_are_sent_once_in_the_recipients_language(
    marked, teacher, django_capture_on_commit_callbacks
):
    student, mark = marked
    assert mark.status == "absent"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([student.email, "me.hs@example.test"])
    to_student = next(m for m in mail.outbox if m.to == [student.email])
    assert "Vắng mặt" in to_student.subject  # Vietnamese, the student's language
    notification = Notification.objects.get(user=student)
    assert notification.kind == "absence" and notification.language == "vi"
    with django_capture_on_commit_callbacks(execute=True):
        services.marks_compute(session=mark.session)
        services.session_alerts_send(session_id=mark.session_id)
        services.attendance_override(
            mark=mark, by=teacher, role="teacher", status="absent", reason="again"
        )
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2


def test_chronic_absence_alert_to_admins_once_per_crossing(
    school, teacher, admin_user, django_capture_on_commit_callbacks
):
    student = member(school, "student")
    course = f.course_with(school, teacher, [student])
    sessions = [
        f.lesson(course, minutes_ago=60 * 24 * d + 120, length=60, status="ended") for d in range(4)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for session in sessions[:3]:
            services.marks_compute(session=session)
    chronic = Notification.objects.filter(kind="chronic")
    assert [n.user for n in chronic] == [admin_user]
    assert ChronicAbsence.objects.get(user=student).crossings == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.marks_compute(session=sessions[3])
    assert chronic.count() == 1  # still under: no second alert
    # Back above the threshold re-arms it.
    for session in sessions:
        mark = AttendanceMark.objects.get(session=session, user=student)
        services.attendance_override(
            mark=mark, by=teacher, role="teacher", status="present", reason="fix"
        )
    services.chronic_absence_evaluate(school=school, user_ids=[student.pk])
    assert not ChronicAbsence.objects.get(user=student).is_below


def test_notifications_page_and_api(client, api_client, marked):
    student, _mark = marked
    client.force_login(student)
    page = client.get("/notifications/")
    assert page.status_code == 200 and "notifications" in page.content.decode()
    api_client.force_authenticate(student)
    listed = api_client.get("/api/v1/notifications/").json()
    assert listed["count"] == 1 and listed["results"][0]["read_at"] is None
    assert api_client.post("/api/v1/notifications/read/", {}, format="json").json() == {"read": 1}
    assert Notification.objects.get(user=student).ref == f"attendance.mark:{_mark.pk}"
    dashboard = client.get("/dashboard/")
    assert b"attendance-panel" in dashboard.content
