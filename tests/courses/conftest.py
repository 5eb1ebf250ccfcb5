import pytest
from django.core.cache import cache

from lms.models import Role
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import SchoolFactory, member


@pytest.fixture(autouse=True)
def _clear_cache():
    # Join-code rate limits live in the cache; no test may inherit another's counter.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    # Services speak the active language (Vietnamese by default); assertions read English.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def course(school):
    return CourseFactory(school=school, title="Toán 10A", code="TOAN-10A")


@pytest.fixture
def course_teacher(course, teacher):
    enrol(course, teacher, "teacher")
    return teacher


@pytest.fixture
def enrolled_student(course, student):
    enrol(course, student, "student")
    return student


@pytest.fixture
def other_school(db):
    return SchoolFactory()


@pytest.fixture
def other_admin(other_school):
    return member(other_school, Role.ADMIN)


@pytest.fixture
def hook_calls(monkeypatch):
    """Every lms.hooks.run call made by the courses services, in order (the hooks still run)."""
    from lms import hooks

    calls = []
    original = hooks.run

    def record(name, **kwargs):
        calls.append((name, kwargs))
        return original(name, **kwargs)

    monkeypatch.setattr(hooks, "run", record)
    return calls
