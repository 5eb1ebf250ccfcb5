"""The main flow in a real browser: dashboard -> Join -> live page embedding the room."""

from datetime import timedelta

import jwt
import pytest
from django.utils import timezone

from courses.models import Enrollment
from tests import jitsi_standin as jitsi_standin_module
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory
from tests.factories.lms import PASSWORD


def _sign_in(page, user):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_student_joins_from_the_dashboard(
    page, browser, live_server, settings, school, teacher, student, jitsi_standin
):
    settings.JITSI_DOMAIN = "meet.school.example"
    settings.JITSI_APP_ID = "lophoc"
    settings.JITSI_APP_SECRET = "browser-test-secret-0123456789abcdef"
    settings.JITSI_EXTERNAL_API_URL = jitsi_standin
    student.preferred_language = "vi"
    student.language_chosen = True  # a saved choice beats the en-US browser
    student.save()
    course = CourseFactory(school=school, title="Vật lý 11")
    EnrollmentFactory(course=course, user=teacher, role=Enrollment.Role.TEACHER)
    EnrollmentFactory(course=course, user=student, role=Enrollment.Role.STUDENT)
    now = timezone.now()
    session = LiveSessionFactory(
        course=course,
        title="Điện học",
        starts_at=now + timedelta(minutes=5),
        ends_at=now + timedelta(minutes=95),
    )

    _sign_in(page, student)
    today = page.get_by_test_id("today-lessons")
    assert "Điện học" in today.inner_text()
    page.get_by_test_id(f"join-{session.pk}").click()
    page.wait_for_url(f"**/live/{session.pk}/")
    page.wait_for_function("() => window.__jitsiOptions !== undefined")
    options = page.evaluate("window.__jitsiOptions")
    assert options["domain"] == "meet.school.example"
    assert options["roomName"] == session.room_name
    assert options["lang"] == "vi"
    assert options["userInfo"]["displayName"] == student.full_name
    assert options["configOverwrite"]["readOnlyName"] is True
    claims = jwt.decode(
        options["jwt"], settings.JITSI_APP_SECRET, algorithms=["HS256"], audience="jitsi"
    )
    assert claims["room"] == session.room_name
    assert claims["context"]["user"]["id"] == str(student.pk)
    assert claims["context"]["user"]["moderator"] == "false"
    assert page.get_by_test_id("moderator-controls").count() == 0
    # Attendance joins the page: the student gets presence-check prompts, not the roster.
    assert page.get_by_test_id("attendance-prompt").count() == 1
    assert page.get_by_test_id("attendance-roster").count() == 0
    # Low bandwidth: one click, the room is rebuilt audio-only, and the choice is remembered.
    page.get_by_test_id("low-bandwidth").click()
    page.wait_for_function("() => window.__jitsiCreated === 2")
    assert page.evaluate("window.__jitsiOptions.configOverwrite.startAudioOnly") is True
    page.reload()
    page.wait_for_function("() => window.__jitsiOptions !== undefined")
    assert page.evaluate("window.__jitsiOptions.configOverwrite.startAudioOnly") is True
    assert page.get_by_test_id("low-bandwidth").get_attribute("aria-pressed") == "true"

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    try:
        jitsi_standin_module.serve(context)
        teacher_page = context.new_page()
        teacher_page.base_url = page.base_url
        _sign_in(teacher_page, teacher)
        teacher_page.goto(f"{page.base_url}/live/{session.pk}/")
        teacher_page.wait_for_function("() => window.__jitsiOptions !== undefined")
        controls = teacher_page.get_by_test_id("moderator-controls")
        assert controls.is_visible()
        assert teacher_page.get_by_test_id("low-bandwidth").count() == 0
        assert teacher_page.get_by_test_id("attendance-roster").count() == 1
        teacher_options = teacher_page.evaluate("window.__jitsiOptions")
        assert teacher_options["lang"] == "en"
        claims = jwt.decode(
            teacher_options["jwt"],
            settings.JITSI_APP_SECRET,
            algorithms=["HS256"],
            audience="jitsi",
        )
        assert claims["context"]["user"]["affiliation"] == "owner"
        mute = controls.get_by_role("button").nth(1)
        assert mute.is_disabled()  # no room yet: nothing to claim
        teacher_page.evaluate(
            "window.__jitsiEmit('videoConferenceJoined', {id: 'teacher', role: 'moderator'})"
        )
        mute.click()  # nobody else in the room: the page says so and sends nothing
        assert "Nobody else" in teacher_page.get_by_test_id("room-status").inner_text()
        teacher_page.evaluate("window.__jitsiEmit('participantJoined', {id: 'student-1'})")
        mute.click()
        assert teacher_page.evaluate("window.__jitsiCommands").pop() == ["muteEveryone", "audio"]
        assert "(1)" in teacher_page.get_by_test_id("room-status").inner_text()
        # Nothing overflows sideways on a 360 px phone.
        assert teacher_page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
