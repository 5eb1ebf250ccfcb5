"""The schedule page: times on every row, Start only near the lesson, its own scheduling page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from classrooms.models import LiveSeries, LiveSession
from courses.models import Enrollment
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory
from tests.factories.lms import PASSWORD


@pytest.fixture
def course(settings, school, teacher):
    settings.JOIN_WINDOW_MINUTES = 15
    teacher.preferred_language, teacher.language_chosen = "vi", False
    teacher.save()
    course = CourseFactory(school=school, title="Hoá học 12")
    EnrollmentFactory(course=course, user=teacher, role=Enrollment.Role.TEACHER)
    return course


def _teacher_page(browser, live_server, teacher, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", teacher.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [360, 1280])
def test_schedule_rows_and_the_start_button(browser, live_server, course, teacher, width):
    now = timezone.now()
    far = LiveSessionFactory(course=course, title="Ôn tập", starts_at=now + timedelta(days=30))
    near = LiveSessionFactory(course=course, title="Axit", starts_at=now + timedelta(minutes=5))
    ended_early = LiveSessionFactory(
        course=course,
        title="Bazơ",
        starts_at=now - timedelta(minutes=20),
        ends_at=now + timedelta(minutes=70),
        status=LiveSession.Status.ENDED,
    )
    context, page = _teacher_page(browser, live_server, teacher, width)
    try:
        page.goto(f"{live_server.url}/live/courses/{course.pk}/")
        far_row = page.locator(f"tr[data-session='{far.pk}']")
        opens = timezone.localtime(far.starts_at - timedelta(minutes=15)).strftime("%H:%M")
        assert f"Mở lúc {opens}" in far_row.get_by_test_id(f"join-{far.pk}").inner_text()
        # Far from its time there is no one-click Start, only the lesson page, which asks.
        assert far_row.get_by_test_id(f"start-{far.pk}").count() == 0
        far_row.get_by_test_id(f"start-early-{far.pk}").click()
        page.wait_for_url(f"**/live/{far.pk}/")
        assert page.get_by_test_id("live-not-open").is_visible()
        assert LiveSession.objects.get(pk=far.pk).status == LiveSession.Status.SCHEDULED
        page.go_back()
        near_row = page.locator(f"tr[data-session='{near.pk}']")
        assert near_row.get_by_test_id(f"start-{near.pk}").is_visible()
        # A lesson ended early is not "coming" any more; in the past list it has one badge.
        assert page.locator(f"tr[data-session='{ended_early.pk}']").count() == 0
        # Cancelling is destructive: behind a confirmation, in the danger colour.
        near_row.get_by_text("Huỷ…").click()
        confirm = near_row.get_by_role("button", name="Huỷ buổi học này")
        assert confirm.is_visible()
        assert confirm.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(185, 28, 28)"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.get_by_role("link", name="Đã qua").click()
        page.wait_for_url("**show=past")
        past_row = page.locator(f"tr[data-session='{ended_early.pk}']")
        assert past_row.locator(".badge").count() == 1
        assert past_row.locator(".badge").inner_text() == "Đã kết thúc"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [360, 1280])
def test_scheduling_has_its_own_page(browser, live_server, course, teacher, width):
    context, page = _teacher_page(browser, live_server, teacher, width)
    try:
        page.goto(f"{live_server.url}/live/courses/{course.pk}/")
        assert page.get_by_test_id("series-form").count() == 0  # not under the list any more
        page.get_by_test_id("schedule-new").click()
        page.wait_for_url(f"**/live/courses/{course.pk}/schedule/new/")
        form = page.get_by_test_id("series-form")
        assert form.locator("label[for=id_series-title]").inner_text() == "Tên buổi học"
        picker = form.get_by_test_id("weekday-picker")
        monday = picker.locator("label").first
        before = monday.evaluate("l => getComputedStyle(l).backgroundColor")
        monday.click()
        after = monday.evaluate("l => getComputedStyle(l).backgroundColor")
        assert before != after  # a chosen day looks chosen
        assert monday.bounding_box()["height"] >= 40
        picker.locator("label").nth(2).click()
        today = timezone.localdate()
        form.locator("#id_series-title").fill("Hoá hữu cơ")
        form.locator("#id_series-start_time").fill("19:00")
        form.locator("#id_series-first_date").fill(str(today + timedelta(days=1)))
        form.locator("#id_series-last_date").fill(str(today + timedelta(days=29)))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        form.get_by_role("button", name="Tạo lịch học").click()
        page.wait_for_url(f"**/live/courses/{course.pk}/")
        assert page.locator(".alert-success").count() == 1
        series = LiveSeries.objects.get(course=course)
        assert (series.title, series.weekdays) == ("Hoá hữu cơ", [0, 2])
        assert page.locator("tr[data-session]").count() >= 8
    finally:
        context.close()
