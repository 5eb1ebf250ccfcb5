from datetime import timedelta

import pytest
from django.utils import timezone, translation

from courses.models import Enrollment
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory


@pytest.fixture(autouse=True)
def _public_jitsi(settings):
    """Each test starts in the embedded default (no Jitsi credentials) unless it sets them."""
    for name in (
        "JITSI_APP_ID",
        "JITSI_APP_SECRET",
        "JITSI_JAAS_APP_ID",
        "JITSI_JAAS_KEY_ID",
        "JITSI_JAAS_PRIVATE_KEY",
        "JITSI_DOMAIN",
        "JITSI_EXTERNAL_API_URL",
    ):
        setattr(settings, name, "")
    settings.JOIN_WINDOW_MINUTES = 15


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the Vietnamese catalogue has its own test."""
    with translation.override("en"):
        yield


@pytest.fixture
def course(school):
    return CourseFactory(school=school, title="Toán 10A")


@pytest.fixture
def enrolled(course, teacher, student):
    EnrollmentFactory(course=course, user=teacher, role=Enrollment.Role.TEACHER)
    EnrollmentFactory(course=course, user=student, role=Enrollment.Role.STUDENT)
    return course


@pytest.fixture
def open_session(enrolled):
    """A lesson whose join window is open: it starts in five minutes."""
    now = timezone.now()
    return LiveSessionFactory(
        course=enrolled, starts_at=now + timedelta(minutes=5), ends_at=now + timedelta(minutes=95)
    )


@pytest.fixture
def jitsi_standin(page):
    """The stand-in for Jitsi's IFrame API script, served to this browser tab. Returns its URL."""
    from tests import jitsi_standin

    return jitsi_standin.serve(page)
