"""The assignment pages: who sees what, the hand-in form, receipts, the teacher's list."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from grading.models import Submission
from grading.services.submissions import submission_submit

from .assign_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_teacher", "other_admin", "outsider_student")


def browser(user):
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def test_page_access(assignment, people):
    attempt, _ = submission_submit(
        by=people["student"], assignment=assignment, client_key="page-key-01", text="x"
    )
    a = assignment.pk
    pages = [
        (
            f"/assignments/courses/{assignment.course_id}/",
            {"teacher": 200, "student": 200, "admin": 200},
        ),
        (
            f"/assignments/courses/{assignment.course_id}/new/",
            {"teacher": 200, "student": 403, "admin": 403},
        ),
        (f"/assignments/{a}/", {"teacher": 200, "student": 200, "admin": 200}),
        (f"/assignments/{a}/edit/", {"teacher": 200, "student": 403, "admin": 403}),
        (f"/assignments/{a}/submissions/", {"teacher": 200, "student": 403, "admin": 200}),
        (
            f"/assignments/{a}/attempts/{attempt.pk}/",
            {"teacher": 200, "student": 200, "admin": 200, "other_student": 404},
        ),
    ]
    for url, expected in pages:
        for role, status in expected.items():
            assert browser(people[role]).get(url).status_code == status, (url, role)
        for role in OUTSIDERS:
            assert browser(people[role]).get(url).status_code == 404, (url, role)
        response = browser(None).get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for url in (
        f"/assignments/{a}/submit/",
        f"/assignments/{a}/extensions/{people['student'].pk}/",
    ):
        for role in OUTSIDERS:
            assert browser(people[role]).post(url).status_code == 404, (url, role)


def test_student_hands_in_twice_by_double_click_and_gets_one_receipt(assignment, people):
    student = browser(people["student"])
    page = student.get(f"/assignments/{assignment.pk}/")
    assert page.status_code == 200
    key = page.context["client_key"]
    body = {"client_key": key, "text": "Bài làm của em"}
    first = student.post(f"/assignments/{assignment.pk}/submit/", body)
    second = student.post(f"/assignments/{assignment.pk}/submit/", body)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Submission.objects.filter(state="submitted").count() == 1
    receipt = student.get(first["Location"])
    assert b'data-testid="receipt"' in receipt.content
    assert "Bài làm của em" in receipt.content.decode()
    again = student.get(f"/assignments/{assignment.pk}/")
    assert again.context["client_key"] != key
    assert b'data-testid="attempt-history"' in again.content


def test_two_tabs_opened_before_the_hand_in_make_one_attempt(assignment, people):
    tab_one = browser(people["student"])
    tab_two = browser(people["student"])
    key_one = tab_one.get(f"/assignments/{assignment.pk}/").context["client_key"]
    key_two = tab_two.get(f"/assignments/{assignment.pk}/").context["client_key"]
    tab_one.post(f"/assignments/{assignment.pk}/submit/", {"client_key": key_one, "text": "a"})
    tab_two.post(f"/assignments/{assignment.pk}/submit/", {"client_key": key_two, "text": "b"})
    assert Submission.objects.filter(state="submitted").count() == 1


def test_refused_hand_in_keeps_the_text_as_draft(assignment, people):
    assignment.due_at = timezone.now() - timedelta(minutes=5)
    assignment.save()
    student = browser(people["student"])
    response = student.post(
        f"/assignments/{assignment.pk}/submit/",
        {"client_key": "attempt-0001", "text": "viết muộn"},
        follow=True,
    )
    assert "deadline has passed" in response.content.decode()
    assert Submission.objects.get(state="draft").text == "viết muộn"


def test_teacher_list_shows_every_student_and_filters(assignment, people):
    submission_submit(
        by=people["student"], assignment=assignment, client_key="list-key-01", text="x"
    )
    teacher = browser(people["teacher"])
    page = teacher.get(f"/assignments/{assignment.pk}/submissions/")
    html = page.content.decode()
    assert people["student"].full_name in html and people["other_student"].full_name in html
    missing = teacher.get(f"/assignments/{assignment.pk}/submissions/?status=missing")
    assert people["student"].full_name not in missing.content.decode()
    assert people["other_student"].full_name in missing.content.decode()


def test_teacher_grants_an_extension_from_the_list(assignment, people):
    teacher = browser(people["teacher"])
    due = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = teacher.post(
        f"/assignments/{assignment.pk}/extensions/{people['student'].pk}/",
        {"due_at": due, "reason": "Nhà mất điện"},
        follow=True,
    )
    assert "The extension was granted." in response.content.decode()
    assert assignment.extensions.get().reason == "Nhà mất điện"


def test_teacher_creates_and_publishes(course, people):
    teacher = browser(people["teacher"])
    due = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = teacher.post(
        f"/assignments/courses/{course.pk}/new/",
        {
            "title": "Nghị luận",
            "instructions": "<p>Viết 500 chữ</p><script>x</script>",
            "points": "10",
            "due_at": due,
            "late_penalty_percent": "0",
            "late_penalty_unit": "day",
            "late_penalty_cap": "100",
            "max_attempts": "1",
            "submission_type": "text",
            "allowed_extensions": "pdf, DOCX",
            "max_file_size": "1048576",
            "max_files": "3",
            "publish": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = course.assignments.get()
    assert created.is_published and created.allowed_extensions == ["pdf", "docx"]
    assert "script" not in created.instructions


def test_bad_form_is_400_with_field_message(course, people):
    teacher = browser(people["teacher"])
    response = teacher.post(f"/assignments/courses/{course.pk}/new/", {"title": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["due_at"]


def test_dashboard_and_course_panels(assignment, people):
    from grading.panels import course_page_panels

    dashboard = browser(people["student"]).get("/dashboard/")
    if dashboard.status_code == 404:
        dashboard = browser(people["student"]).get("/")
    assert assignment.title in dashboard.content.decode()
    request = type("R", (), {"user": people["other_teacher"]})()
    assert course_page_panels(request, assignment.course) == []
    request.user = people["student"]
    assert course_page_panels(request, assignment.course)[0]["assignments"] == [assignment]


def test_teacher_sees_every_attempt_of_a_student(assignment, people):
    for n in (1, 2):
        submission_submit(
            by=people["student"], assignment=assignment, client_key=f"many-key-{n}", text=f"lần {n}"
        )
    url = f"/assignments/{assignment.pk}/students/{people['student'].pk}/"
    html = browser(people["teacher"]).get(url).content.decode()
    assert "lần 1" in html and "lần 2" in html
    assert browser(people["student"]).get(url).status_code == 403
    assert browser(people["other_teacher"]).get(url).status_code == 404
    missing = f"/assignments/{assignment.pk}/students/{people['other_student'].pk}/"
    assert browser(people["teacher"]).get(missing).status_code == 404
