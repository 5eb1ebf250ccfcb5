"""A student on a 360 px phone uploads a PDF (progress, a dropped part resumed), hands in,
sees the receipt, and a second click makes no second attempt; the teacher sees it in the list
and downloads the file."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Enrollment
from grading.models import Submission
from tests.factories.assignments import AssignmentFactory
from tests.factories.courses import CourseFactory, enrol
from tests.media.conftest import MiB, pdf_bytes

PART = 5 * MiB
RECORD_STATUS = """
window.__statuses = [];
new MutationObserver(function () {
  var node = document.querySelector('.upload-status');
  if (node && node.textContent) window.__statuses.push(node.textContent);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def _signed_in(browser, live_server, user, password, *, phone=True):
    size = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, locale="en-US", accept_downloads=True)
    context.set_default_timeout(30_000)
    tab = context.new_page()
    tab.add_init_script(RECORD_STATUS)
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("input[name=username]", user.email)
    tab.fill("input[name=password]", password)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(f"{live_server.url}/dashboard/")
    return context, tab


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_hand_in_with_a_pdf_then_teacher_downloads(
    browser, live_server, settings, tmp_path, school, teacher, student, password
):
    settings.MEDIA_PRIVATE_ROOT = str(tmp_path / "private")
    settings.MEDIA_MULTIPART_THRESHOLD = PART
    settings.MEDIA_PART_SIZE = PART
    course = CourseFactory(school=school)
    enrol(course, teacher, Enrollment.Role.TEACHER)
    enrol(course, student, Enrollment.Role.STUDENT)
    assignment = AssignmentFactory(
        course=course,
        allowed_extensions=["pdf"],
        max_file_size=20 * MiB,
        due_at=timezone.now() + timedelta(days=2),
    )
    data = pdf_bytes(2 * PART + 1234)
    path = tmp_path / "Bài làm.pdf"
    path.write_bytes(data)

    context, tab = _signed_in(browser, live_server, student, password)
    dropped = []

    calls = []

    def drop_part_two_once(route):
        calls.append(route.request.url)
        if len(calls) == 2:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    tab.route("**/files/local/part/**", drop_part_two_once)
    tab.goto(f"{live_server.url}/assignments/{assignment.pk}/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    tab.set_input_files("#work-files", str(path))
    tab.wait_for_selector("[data-upload][data-state=done]")
    statuses = tab.evaluate("window.__statuses")
    percents = [int(t.rsplit(" ", 1)[-1].rstrip("%")) for t in statuses if "Uploading" in t]
    assert any(0 < p < 100 for p in percents), statuses
    assert any("resuming" in t for t in statuses), statuses
    assert len(calls) == 4  # three parts, the second one twice
    tab.fill("#work-text", "Bài làm của em")
    # Two quick clicks: the server sees the same client key twice and records one attempt.
    tab.dblclick("[data-testid=submit-button]")
    tab.wait_for_selector("[data-testid=receipt]")
    receipt = tab.inner_text("[data-testid=receipt]")
    assert "Bài làm.pdf" in receipt
    assert hashlib.sha256(data).hexdigest() in receipt
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert Submission.objects.filter(state="submitted").count() == 1
    # A retry of the same hand-in (a resent form after a timeout) answers the same receipt.
    replay = tab.evaluate(
        """async (url) => {
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            const body = new URLSearchParams({csrfmiddlewaretoken: token,
                client_key: 'attempt-0001', text: 'again', files_sent: '1'});
            const r = await fetch(url, {method: 'POST', body, redirect: 'follow'});
            return r.url;
        }""",
        f"{live_server.url}/assignments/{assignment.pk}/submit/",
    )
    assert replay == tab.url
    assert Submission.objects.filter(state="submitted").count() == 1
    context.close()

    context, tab = _signed_in(browser, live_server, teacher, password, phone=False)
    tab.goto(f"{live_server.url}/assignments/{assignment.pk}/submissions/")
    row = tab.locator(f"tr[data-student='{student.pk}']")
    assert "handed in" in row.inner_text()
    row.locator("a").first.click()
    tab.wait_for_selector("[data-testid=receipt]")
    with tab.expect_download() as download:
        tab.click("text=Bài làm.pdf")
    saved = download.value.path()
    with open(saved, "rb") as downloaded:
        assert downloaded.read() == data
    context.close()
