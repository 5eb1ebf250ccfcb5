"""Fixtures of the assignment and submission tests (imported by their modules)."""

import pytest
from django.utils import translation

from courses.models import Enrollment
from tests.factories.assignments import AssignmentFactory
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import SchoolFactory, member


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def course(school):
    return CourseFactory(school=school, title="Văn 11B")


@pytest.fixture
def people(course, teacher, student, admin_user):
    """The course's teacher and student, the school's admin, and outsiders of every kind."""
    enrol(course, teacher, Enrollment.Role.TEACHER)
    enrol(course, student, Enrollment.Role.STUDENT)
    other_student = member(course.school, "student")
    enrol(course, other_student, Enrollment.Role.STUDENT)
    other_course = CourseFactory(school=course.school)
    other_teacher = member(course.school, "teacher")
    enrol(other_course, other_teacher, Enrollment.Role.TEACHER)
    other_school = SchoolFactory()
    return {
        "teacher": teacher,
        "student": student,
        "admin": admin_user,
        "other_student": other_student,
        "other_teacher": other_teacher,
        "other_admin": member(other_school, "admin"),
        "outsider_student": member(course.school, "student"),
    }


@pytest.fixture
def assignment(course, people):
    return AssignmentFactory(course=course)
