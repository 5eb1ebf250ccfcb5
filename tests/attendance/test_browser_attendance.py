"""The whole attendance flow in a real browser.

Classrooms' live page does not include the attendance extras yet (the `live_page_extras` hook),
so the students and the teacher use attendance's own live panel (/attendance/lessons/<id>/live/),
which renders the same extras. The room itself is simulated the way classrooms will hand it
over: an IFrame API object delivered with the "lophoc:jitsi-ready" DOM event, whose
videoConferenceJoined / videoConferenceLeft listeners attendance's live.js registers. Presence
therefore arrives as client evidence through the real client-event API.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from attendance.models import AttendanceMark
from courses.models import Enrollment
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory
from tests.factories.lms import PASSWORD, member

FAKE_ROOM = """
(sessionId) => {
  const handlers = {};
  const api = {
    addListener(name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
    fire(name) { (handlers[name] || []).forEach((fn) => fn({})); },
  };
  window.__room = api;
  document.dispatchEvent(new CustomEvent("lophoc:jitsi-ready", {detail: {api, sessionId}}));
}
"""


def sign_in(browser, base_url, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")
    return context, page


def enter_room(page, base_url, session):
    page.goto(f"{base_url}/attendance/lessons/{session.pk}/live/")
    page.wait_for_function("() => window.lophocAttendance !== undefined")
    page.evaluate(FAKE_ROOM, session.pk)
    with page.expect_response(lambda r: r.url.endswith("/presence/") and r.status == 201):
        page.evaluate("window.__room.fire('videoConferenceJoined')")


def wait_until(moment):
    delay = (moment - timezone.now()).total_seconds()
    if delay > 0:
        time.sleep(delay)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_students_a_check_an_early_leaver_and_an_override(
    browser, live_server, settings, school, teacher
):
    settings.ATTENDANCE_CHECK_POLL_SECONDS = 2
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    base = live_server.url
    stays = member(school, "student", full_name="An Stays")
    leaves = member(school, "student", full_name="Binh Leaves")
    course = CourseFactory(school=school, title="Hoá học 12")
    EnrollmentFactory(course=course, user=teacher, role=Enrollment.Role.TEACHER)
    for student in (stays, leaves):
        EnrollmentFactory(course=course, user=student, role=Enrollment.Role.STUDENT)
    now = timezone.now()
    session = LiveSessionFactory(
        course=course,
        title="Phản ứng oxi hoá",
        starts_at=now + timedelta(seconds=4),
        ends_at=now + timedelta(minutes=30),
        status="live",
        started_at=now,
        started_by=teacher,
    )
    contexts = []
    try:
        ctx_a, page_a = sign_in(browser, base, stays)
        ctx_b, page_b = sign_in(browser, base, leaves)
        ctx_t, page_t = sign_in(browser, base, teacher)
        contexts += [ctx_a, ctx_b, ctx_t]
        enter_room(page_a, base, session)
        enter_room(page_b, base, session)

        # Binh leaves ten seconds into the lesson.
        wait_until(session.starts_at + timedelta(seconds=10))
        with page_b.expect_response(lambda r: r.url.endswith("/presence/")):
            page_b.evaluate("window.__room.fire('videoConferenceLeft')")
        left_after = (timezone.now() - session.starts_at).total_seconds()

        # The teacher sees who is in the room and checks presence.
        page_t.goto(f"{base}/attendance/lessons/{session.pk}/live/")
        roster = page_t.get_by_test_id("attendance-roster")
        roster.get_by_test_id("roster-in").get_by_text("An Stays").wait_for()
        assert "Binh Leaves" in roster.get_by_test_id("roster-left").inner_text()
        page_t.get_by_test_id("check-presence").click()
        notice = page_t.get_by_test_id("check-notice")
        notice.wait_for()
        assert "1 students" in notice.inner_text()

        # An gets the prompt and answers it.
        page_a.get_by_test_id("confirm-presence").click()
        page_a.get_by_test_id("presence-confirmed").wait_for()
        page_t.get_by_text("1 of 1 answered").wait_for()

        # The teacher ends the lesson when Binh has been there for about half of it.
        wait_until(session.starts_at + timedelta(seconds=2 * left_after))
        page_t.evaluate(
            """async (url) => {
              const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
              const r = await fetch(url, {method: "POST", headers: {"X-CSRFToken": token}});
              if (!r.ok) throw new Error("end failed " + r.status);
            }""",
            f"{base}/api/v1/live-sessions/{session.pk}/end/",
        )
        for _ in range(50):
            if AttendanceMark.objects.filter(session=session, is_final=True).count() == 2:
                break
            time.sleep(0.2)

        page_t.goto(f"{base}/attendance/lessons/{session.pk}/")
        row_a = page_t.get_by_test_id(f"row-{stays.pk}")
        row_b = page_t.get_by_test_id(f"row-{leaves.pk}")
        assert row_a.locator("[data-status]").get_attribute("data-status") == "present"
        assert row_b.locator("[data-status]").get_attribute("data-status") == "left_early"
        assert "1/1" in row_a.inner_text()  # presence checks answered / asked
        assert "only the live page reported presence" in row_b.inner_text()
        assert ":" in row_b.locator("[data-label='Evidence']").inner_text()  # its interval

        # Override Binh's mark with a reason.
        page_t.get_by_test_id(f"open-mark-{leaves.pk}").click()
        page_t.select_option("select[name=override-status]", "excused")
        page_t.fill("textarea[name=override-reason]", "Mất điện, đã báo trước")
        page_t.get_by_test_id("override-submit").click()
        page_t.get_by_test_id("mark-status").locator("[data-status='excused']").wait_for()

        # Binh sees the result and the reason.
        page_b.goto(f"{base}/attendance/me/")
        mark = AttendanceMark.objects.get(session=session, user=leaves)
        page_b.get_by_test_id(f"my-mark-{mark.pk}").click()
        assert (
            page_b.get_by_test_id("mark-status")
            .locator("[data-status]")
            .get_attribute("data-status")
            == "excused"
        )
        assert "Mất điện, đã báo trước" in page_b.get_by_test_id("override-reason").inner_text()
        assert (
            "Left early / partial".lower()
            in page_b.get_by_test_id("mark-evidence").inner_text().lower()
        )
    finally:
        for context in contexts:
            context.close()
