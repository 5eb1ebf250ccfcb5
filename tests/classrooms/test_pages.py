from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from classrooms import panels
from classrooms.models import LiveSeries, LiveSession
from courses.models import Enrollment
from lms import hooks
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory
from tests.factories.lms import member


def test_live_page_csp_and_public_notice(client, open_session, student, teacher):
    client.force_login(student)
    response = client.get(f"/live/{open_session.pk}/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    frame = next(d for d in csp.split(";") if d.strip().startswith("frame-src"))
    assert "https://meet.jit.si" in script and "https://meet.jit.si" in frame
    body = response.content.decode()
    # The "public service, for trying out" notice is for staff; students see nothing of it.
    assert 'data-testid="public-mode"' not in body
    # The IFrame API script is loaded by live.js (asynchronously, with a timeout), not inline.
    assert 'data-script-url="https://meet.jit.si/external_api.js"' in body
    assert 'src="https://meet.jit.si/external_api.js"' not in body
    assert 'data-script-timeout="10"' in body
    assert 'href="https://meet.jit.si/' + open_session.room_name + '"' in body  # the way out
    assert 'data-testid="moderator-controls"' not in body
    client.force_login(teacher)
    assert 'data-testid="public-mode"' in client.get(f"/live/{open_session.pk}/").content.decode()
    # The global policy elsewhere does not include Jitsi.
    assert "meet.jit.si" not in client.get("/live/calendar/")["Content-Security-Policy"]


def test_live_page_roles(client, open_session, teacher, admin_user, school):
    client.force_login(teacher)
    body = client.get(f"/live/{open_session.pk}/").content.decode()
    assert 'data-testid="moderator-controls"' in body and 'data-testid="low-bandwidth"' not in body
    client.force_login(admin_user)
    body = client.get(f"/live/{open_session.pk}/").content.decode()
    assert "observing" in body and 'data-testid="moderator-controls"' not in body
    client.force_login(member(school, "student"))
    assert client.get(f"/live/{open_session.pk}/").status_code == 404


def test_live_page_outside_the_window(client, enrolled, student, teacher):
    now = timezone.now()
    later = LiveSessionFactory(
        course=enrolled, starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=3)
    )
    client.force_login(student)
    body = client.get(f"/live/{later.pk}/").content.decode()
    assert 'data-testid="live-not-open"' in body and "live-join" not in body
    assert later.room_name not in body
    client.force_login(teacher)
    response = client.post(f"/live/{later.pk}/start/")
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == "live"


def test_schedule_page_creates_a_series_and_warns_on_overlap(client, enrolled, teacher, student):
    client.force_login(teacher)
    today = timezone.localdate()
    data = {
        "kind": "series",
        "series-title": "Tiếng Anh",
        "series-weekdays": ["1", "3"],
        "series-start_time": "18:00",
        "series-duration_minutes": "90",
        "series-first_date": str(today + timedelta(days=1)),
        "series-last_date": str(today + timedelta(days=28)),
        "series-time_zone": "Asia/Ho_Chi_Minh",
    }
    assert client.post(f"/live/courses/{enrolled.pk}/", data).status_code == 302
    assert LiveSeries.objects.count() == 1 and LiveSession.objects.count() == 8
    response = client.post(f"/live/courses/{enrolled.pk}/", data)
    assert response.status_code == 200 and "overlaps" in response.content.decode()
    assert "series-confirm_overlap" in response.content.decode()
    bad = dict(data, **{"series-weekdays": [], "series-duration_minutes": "0"})
    response = client.post(f"/live/courses/{enrolled.pk}/", bad)
    assert "Choose at least one day" in response.content.decode()
    assert LiveSeries.objects.count() == 1
    session = LiveSession.objects.first()
    response = client.post(f"/live/{session.pk}/cancel/", {"reason": "Mất điện"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"
    # Students see the schedule but cannot write.
    client.force_login(student)
    assert client.get(f"/live/courses/{enrolled.pk}/").status_code == 200
    assert client.post(f"/live/courses/{enrolled.pk}/", data).status_code == 403


def test_calendar_page(client, student):
    client.force_login(student)
    body = client.get("/live/calendar/").content.decode()
    assert "/live/calendar/" in body and ".ics" in body
    client.post("/live/calendar/", {"action": "reminders"})
    from classrooms.selectors import reminders_enabled

    assert reminders_enabled(student) is False


def test_hooks(rf, enrolled, student, open_session):
    (live,) = hooks.collect("next_live_lesson", enrolled)
    assert live["session"] == open_session
    assert live["url"] == f"/live/{open_session.pk}/"
    assert live["starts_at"] == open_session.starts_at
    request = rf.get("/")
    request.user = student
    (panel,) = [
        p
        for p in hooks.collect("course_page_panels", request, enrolled)
        if p["template"].startswith("classrooms/")
    ]
    assert panel["template"] == "classrooms/_course_schedule.html"
    assert list(panel["sessions"]) == [open_session]
    from lms.selectors import roles_by_school

    schools = roles_by_school(student)
    templates = [p["template"] for p in hooks.collect("dashboard_panels", request, schools)]
    assert "classrooms/_today.html" in templates


def test_dashboard_shows_today(client, open_session, student):
    client.force_login(student)
    body = client.get("/dashboard/").content.decode()
    assert 'data-testid="today-lessons"' in body
    assert f'href="/live/{open_session.pk}/"' in body


def _grow(course, school, students, lessons):
    EnrollmentFactory.create_batch(students, course=course, role=Enrollment.Role.STUDENT)
    now = timezone.now()
    for i in range(lessons):
        start = now + timedelta(minutes=1 + i * 20)  # many today, the rest on later days
        if i % 2:
            start += timedelta(days=i)
        LiveSessionFactory(course=course, starts_at=start, ends_at=start + timedelta(minutes=15))


@pytest.mark.parametrize("which", ["dashboard", "course_page"])
def test_panel_queries_do_not_grow(enrolled, school, student, which, django_assert_num_queries):
    other = CourseFactory(school=school)
    EnrollmentFactory(course=other, user=student)
    request = RequestFactory().get("/")
    request.user = student

    def render():
        from django.template.loader import render_to_string

        with translation.override("en"):
            if which == "dashboard":
                items = panels.dashboard_panels(request, [object()])
            else:
                items = panels.course_page_panels(request, enrolled)
            for panel in items:
                render_to_string(panel["template"], {"panel": panel}, request=request)

    _grow(enrolled, school, 5, 3)
    with CaptureQueriesContext(connection) as small:
        render()
    _grow(enrolled, school, 195, 37)
    _grow(other, school, 20, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        render()
    print(which, "queries:", len(small.captured_queries))


def test_vietnamese_catalogue(client, open_session, student):
    student.preferred_language = "vi"
    student.save()
    client.force_login(student)
    body = client.get(f"/live/{open_session.pk}/").content.decode()
    assert "Tiết kiệm băng thông: tắt" in body
    with translation.override("vi"):
        assert translation.gettext("This lesson was cancelled.") == "Buổi học này đã bị huỷ."
