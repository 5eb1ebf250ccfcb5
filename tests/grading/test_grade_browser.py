"""In Chromium: a teacher grades three submissions with a rubric using only the keyboard,
releases them, and the student reads grade and feedback; a stale save shows the conflict."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from grading.models import Grade
from grading.services.grades import grade_save, grading_options_update
from tests.factories.courses import enrol
from tests.factories.grades import assignment, simple_rubric, submission, world
from tests.factories.lms import PASSWORD, member


def sign_in(page, user):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base_url}/dashboard/")


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector` (as a person would)."""
    for _ in range(limit):
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_grading_release_and_student_view(page, browser, live_server):
    w = world(students=3)
    a = assignment(w.course, title="Bài luận số 1")
    rubric = simple_rubric(w.course, w.teacher)
    grading_options_update(by=w.teacher, assignment=a, rubric=rubric)
    content, layout = list(rubric.criteria.all())
    for s in w.students:
        submission(a, s)

    sign_in(page, w.teacher)
    page.goto(f"{live_server.url}/grading/assignments/{a.pk}/")
    for index, student in enumerate(w.students):
        page.wait_for_url(f"**/grading/assignments/{a.pk}/students/{student.pk}/")
        page.locator("[data-testid=grader-student]").wait_for()
        # Content: first level focused by Tab, ArrowDown picks the second one (3 points).
        tab_to(page, f"input[name=criterion-{content.pk}]")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        page.keyboard.type(f"Ý {index + 1} còn thiếu ví dụ")
        # Layout: Space picks the first level (4 points).
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        tab_to(page, "#comment")
        page.keyboard.type(f"Nhận xét chung cho bài {index + 1}")
        page.keyboard.press("Control+Enter")
        expect(page.locator("#save-status")).to_have_attribute("data-kind", "ok")
        expect(page.locator("#score")).to_have_value("7")
        if index < 2:
            page.keyboard.press("Alt+ArrowRight")
    grades = {g.student_id: g for g in Grade.objects.all()}
    assert {g.score for g in grades.values()} == {D(7)}
    first = grades[w.students[0].pk]
    assert first.rubric_selections[0]["comment"] == "Ý 1 còn thiếu ví dụ"
    assert first.released_at is None

    tab_to(page, "[data-testid=release-all]")
    page.keyboard.press("Enter")
    page.locator(".alert-success").wait_for()
    assert "3 grades released" in page.locator(".alert-success").inner_text()
    assert Grade.objects.filter(released_at__isnull=False).count() == 3

    student_tab = browser.new_context(locale="en-US").new_page()
    student_tab.base_url = live_server.url
    sign_in(student_tab, w.students[1])
    student_tab.goto(f"{live_server.url}/grading/courses/{w.course.pk}/my-grades/")
    card = student_tab.locator("[data-testid=my-grade]")
    assert card.locator("[data-testid=my-score]").inner_text() == "7"
    assert "Nhận xét chung cho bài 2" in card.locator("[data-testid=my-feedback]").inner_text()
    assert "Ý 2 còn thiếu ví dụ" in card.inner_text()
    student_tab.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stale_save_shows_the_conflict(page, live_server):
    w = world(students=1)
    second = member(w.school, "teacher", full_name="Thầy Quang")
    enrol(w.course, second, "teacher")
    a = assignment(w.course, title="Bài 2")
    s = w.students[0]
    submission(a, s)
    grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(5))

    sign_in(page, w.teacher)
    page.goto(f"{live_server.url}/grading/assignments/{a.pk}/students/{s.pk}/")
    page.locator("#score").wait_for()
    # Meanwhile the second teacher saves the same grade.
    grade_save(
        by=second, assignment=a, student_id=s.pk, version=1, score=D(6), comment="Của thầy Quang"
    )

    tab_to(page, "#score")
    page.keyboard.press("Control+a")
    page.keyboard.type("9")
    page.keyboard.press("Control+Enter")
    conflict = page.locator("[data-testid=conflict]")
    conflict.wait_for(state="visible")
    assert "6" in conflict.locator("[data-theirs]").inner_text()
    assert "Của thầy Quang" in conflict.locator("[data-theirs]").inner_text()
    assert conflict.locator("[data-yours]").inner_text().startswith("9")
    assert Grade.objects.get().score == D(6)  # nothing overwritten silently
    # The conflict panel takes the focus: Enter keeps mine, on top of the newer version.
    page.keyboard.press("Enter")
    expect(page.locator("#save-status")).to_have_attribute("data-kind", "ok")
    grade = Grade.objects.get()
    assert grade.score == D(9) and grade.version == 3
