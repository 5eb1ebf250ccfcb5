"""A lesson links an assignment with a StreamField block; grading renders it for the reader."""

import pytest
from django.test import Client

from courses.models import Enrollment
from tests.factories.assignments import AssignmentFactory
from tests.factories.cms import course_with_lessons, enrol, lesson_body

from .assign_fixtures import english_messages  # noqa: F401

pytestmark = pytest.mark.django_db


def _lesson_with(content, assignment_id):
    lesson = content.lessons[0]
    lesson.body = [
        *lesson_body(10),
        {"type": "assignment", "value": {"assignment_id": assignment_id, "intro": "Làm ngay"}},
    ]
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson


def test_lesson_shows_the_linked_assignment_to_its_readers(school, student, teacher):
    content = course_with_lessons(school=school, modules=1, lessons_per_module=1)
    enrol(content.course, student)
    enrol(content.course, teacher, Enrollment.Role.TEACHER)
    assignment = AssignmentFactory(course=content.course, title="Bài tập tuần 2")
    lesson = _lesson_with(content, assignment.pk)
    client = Client(headers={"accept-language": "en"})
    client.force_login(student)
    html = client.get(lesson.url).content.decode()
    assert 'data-testid="lesson-assignment"' in html and "Bài tập tuần 2" in html
    assert f"/assignments/{assignment.pk}/" in html and "Làm ngay" in html

    assignment.status = "draft"
    assignment.save()
    html = client.get(lesson.url).content.decode()
    assert 'data-testid="lesson-assignment"' not in html  # students do not see drafts
    client.force_login(teacher)
    assert "Bài tập tuần 2" in client.get(lesson.url).content.decode()


def test_another_courses_assignment_is_not_shown(school, student):
    content = course_with_lessons(school=school, modules=1, lessons_per_module=1)
    enrol(content.course, student)
    elsewhere = AssignmentFactory(title="Bài của lớp khác")
    enrol(elsewhere.course, student)
    lesson = _lesson_with(content, elsewhere.pk)
    client = Client()
    client.force_login(student)
    html = client.get(lesson.url).content.decode()
    assert "Bài của lớp khác" not in html
