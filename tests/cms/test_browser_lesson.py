"""A student reads a lesson and marks it done; the teacher sees the progress."""

import pytest

from courses.models import Enrollment
from tests.factories.cms import course_with_lessons, enrol
from tests.factories.lms import PASSWORD, SchoolFactory, member


def sign_in(tab, user) -> None:
    tab.goto(f"{tab.base_url}/accounts/login/")
    tab.fill("input[name=username]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("form button[type=submit]").last.click()
    tab.wait_for_url(f"{tab.base_url}/dashboard/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_student_marks_a_lesson_done_and_the_teacher_sees_it(page, browser):
    school = SchoolFactory()
    teacher = member(school, "teacher", full_name="Lê Thị Lan")
    student = member(school, "student", full_name="Phạm Minh Quân")
    content = course_with_lessons(school=school, title="Toán 10")
    enrol(content.course, teacher, Enrollment.Role.TEACHER)
    enrol(content.course, student)

    # The student finds the course in "My courses", opens the first lesson and marks it done.
    sign_in(page, student)
    page.get_by_role("link", name="My courses").first.click()
    page.get_by_role("link", name="Toán 10").first.click()
    page.get_by_test_id("lesson-link").first.click()
    page.wait_for_url(f"**{content.lessons[0].url}")
    assert page.get_by_role("heading", level=1).inner_text() == content.lessons[0].title
    page.get_by_role("button", name="Mark as done").click()
    done = page.get_by_test_id("lesson-done")
    done.get_by_text("You finished this lesson.").wait_for()
    assert done.get_attribute("data-done") == "true"
    # Back on the course home the lesson is ticked and the progress shows.
    page.goto(f"{page.base_url}{content.page.url}")
    assert "1 of 4 lessons done" in page.get_by_test_id("course-progress").inner_text()

    # The teacher, in a separate browser session, sees the student's progress.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    try:
        tab = context.new_page()
        tab.base_url = page.base_url
        sign_in(tab, teacher)
        tab.goto(f"{tab.base_url}{content.page.url}")
        tab.get_by_role("link", name="Students' progress").click()
        row = tab.get_by_test_id("progress-row").filter(has_text="Phạm Minh Quân")
        assert "1 / 4" in row.inner_text()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reading_to_the_end_marks_the_lesson_done(page):
    from cms.models import LessonProgress

    school = SchoolFactory()
    student = member(school, "student")
    content = course_with_lessons(school=school, modules=1, lessons_per_module=2)
    enrol(content.course, student)
    sign_in(page, student)
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"{page.base_url}{content.lessons[1].url}")
    page.locator("#lesson-end").scroll_into_view_if_needed()
    page.locator('#lesson-done[data-done="true"]').wait_for(timeout=15_000)
    progress = LessonProgress.objects.get(user=student)
    assert (progress.lesson_id, progress.source) == (content.lessons[1].id, "read")
    # On a phone the previous-lesson link is a large tap target.
    box = page.get_by_role("link", name="Previous").bounding_box()
    assert box["height"] >= 44
