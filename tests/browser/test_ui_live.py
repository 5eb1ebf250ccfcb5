"""The live page when the video server never answers: the page works, the failure is designed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Enrollment
from tests import jitsi_standin
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory
from tests.factories.lms import PASSWORD

HANGING = "/jitsi-never-answers/external_api.js"
RECORD_EVENTS = """
window.__events = [];
["lophoc:jitsi-ready", "lophoc:room-ready", "lophoc:room-failed", "lophoc:low-bandwidth"]
  .forEach(function (name) {
    document.addEventListener(name, function (event) {
      var detail = event.detail || {};
      window.__events.push([name, detail.reason || detail.on || null]);
    });
  });
"""


def _open(browser, live_server, user, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.add_init_script(RECORD_EVENTS)
    pending = []
    # The video server accepts the connection and never answers.
    page.route(f"**{HANGING}", lambda route: pending.append(route))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return context, page, pending


def _close(context, page):
    """Leave the live page first: its timers stop reporting presence before the context goes
    (the suite's `_live_server_settles` waits for what the server already accepted)."""
    page.goto("about:blank")
    context.close()


@pytest.fixture
def lesson(settings, live_server, school, teacher, student):
    settings.JITSI_DOMAIN = ""
    settings.JITSI_APP_ID = ""
    settings.JITSI_APP_SECRET = ""
    settings.JITSI_EXTERNAL_API_URL = live_server.url + HANGING
    settings.JITSI_SCRIPT_TIMEOUT_SECONDS = 3
    settings.JOIN_WINDOW_MINUTES = 15
    for user in (teacher, student):
        user.preferred_language, user.language_chosen = "vi", False
        user.save()
    course = CourseFactory(school=school, title="Vật lý 11")
    EnrollmentFactory(course=course, user=teacher, role=Enrollment.Role.TEACHER)
    EnrollmentFactory(course=course, user=student, role=Enrollment.Role.STUDENT)
    now = timezone.now()
    session = LiveSessionFactory(
        course=course, title="Điện học", starts_at=now, ends_at=now + timedelta(minutes=90)
    )
    session.standin = jitsi_standin.BODY
    return session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [360, 1280])
def test_student_page_works_while_the_video_server_never_answers(
    browser, live_server, lesson, student, width
):
    context, page, pending = _open(browser, live_server, student, width)
    try:
        with (
            page.expect_request(f"**{HANGING}") as script,
            page.expect_request(f"**/attendance/lessons/{lesson.pk}/prompt/") as prompt,
        ):
            page.goto(f"{live_server.url}/live/{lesson.pk}/")
        # The page loaded and htmx (attendance's prompt) ran while the script still hangs.
        assert prompt.value is not None and script.value is not None
        assert page.evaluate("document.readyState") == "complete"
        assert page.get_by_test_id("attendance-prompt").count() == 1
        stage = page.get_by_test_id("live-stage")
        assert stage.get_attribute("data-state") == "loading"
        # Within the timeout (3 s here) the designed failure state replaces the black box.
        failed = page.get_by_test_id("room-failed")
        failed.wait_for(state="visible", timeout=6_000)
        assert "Không tải được phòng video" in failed.inner_text()
        assert page.get_by_test_id("room-retry").inner_text() == "Thử lại"
        link = page.get_by_test_id("room-link")
        assert link.get_attribute("href") == f"https://meet.jit.si/{lesson.room_name}"
        assert page.evaluate("window.__events") == [["lophoc:room-failed", "timeout"]]
        # Students never see the "public service, for trying out" notice.
        assert page.get_by_test_id("public-mode").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Audio only is one click away, even from the failure state.
        failed.get_by_role("button", name="Thử chỉ dùng âm thanh").click()
        assert ["lophoc:low-bandwidth", True] in page.evaluate("window.__events")
        assert page.get_by_test_id("low-bandwidth").get_attribute("aria-pressed") == "true"
        # The server answers now: "Try again" brings the room up in the page.
        page.unroute(f"**{HANGING}")
        page.route(
            f"**{HANGING}",
            lambda route: route.fulfill(body=lesson.standin, content_type="text/javascript"),
        )
        page.get_by_test_id("room-retry").click()
        page.wait_for_function("() => window.__jitsiOptions !== undefined")
        assert stage.get_attribute("data-state") == "ready"
        assert not failed.is_visible()
        assert page.evaluate("window.__jitsiOptions.configOverwrite.startAudioOnly") is True
    finally:
        _close(context, page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_teacher_controls_wait_for_the_room_and_ending_says_so(
    browser, live_server, lesson, teacher
):
    context, page, pending = _open(browser, live_server, teacher, 1280)
    try:
        page.goto(f"{live_server.url}/live/{lesson.pk}/")
        controls = page.get_by_test_id("moderator-controls")
        lobby = controls.get_by_role("button", name="Phòng chờ: tắt")
        mute = controls.get_by_role("button", name="Tắt tiếng mọi người")
        assert lobby.is_disabled() and mute.is_disabled()
        assert page.get_by_test_id("public-mode").is_visible()  # staff are told
        page.get_by_test_id("room-failed").wait_for(state="visible", timeout=6_000)
        assert lobby.is_disabled() and mute.is_disabled()  # no room: nothing to claim
        # Presence check with nobody in the room says so instead of a green success.
        page.get_by_test_id("check-presence").click()
        notice = page.get_by_test_id("check-notice")
        notice.wait_for()
        assert "chưa có học sinh nào" in notice.inner_text()
        # "End for everyone" asks first, then says what happened.
        page.once("dialog", lambda dialog: dialog.dismiss())
        controls.get_by_role("button", name="Kết thúc cho mọi người").click()
        assert page.url.endswith(f"/live/{lesson.pk}/")
        page.once("dialog", lambda dialog: dialog.accept())
        controls.get_by_role("button", name="Kết thúc cho mọi người").click()
        page.wait_for_url(f"**/live/courses/{lesson.course_id}/")
        assert "Buổi học đã kết thúc." in page.locator(".alert").first.inner_text()
        # An ended lesson leaves "Coming".
        assert page.locator(f"tr[data-session='{lesson.pk}']").count() == 0
        page.get_by_role("link", name="Đã qua").click()
        page.wait_for_url("**show=past")
        row = page.locator(f"tr[data-session='{lesson.pk}']")
        assert row.locator(".badge").count() == 1
        assert row.locator(".badge").inner_text() == "Đã kết thúc"
    finally:
        _close(context, page)
