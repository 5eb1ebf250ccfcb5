import pytest

from courses.models import Enrollment
from tests.factories.cms import course_with_lessons, enrol
from tests.factories.lms import SchoolFactory, member


@pytest.fixture
def content(school):
    return course_with_lessons(school=school, in_catalogue=True)


@pytest.fixture
def course_teacher(content, teacher):
    enrol(content.course, teacher, Enrollment.Role.TEACHER)
    return teacher


@pytest.fixture
def member_student(content, student):
    enrol(content.course, student)
    return student


@pytest.fixture
def other_student(school):
    """In the school, not in the course."""
    return member(school, "student")


@pytest.fixture
def other_school_admin(db):
    return member(SchoolFactory(), "admin")
