"""Lists run the same number of queries at 5 and 200 students."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from courses.models import Enrollment
from grading.models import Extension, Submission
from tests.factories.assignments import AssignmentFactory
from tests.factories.courses import CourseFactory, bulk_enrol, bulk_members, enrol
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


def _class_of(school, size: int):
    course = CourseFactory(school=school)
    teacher = member(school, "teacher")
    enrol(course, teacher, Enrollment.Role.TEACHER)
    students = bulk_members(school, size)
    bulk_enrol(course, students)
    assignments = [AssignmentFactory(course=course) for _ in range(3)]
    now = timezone.now()
    # A third handed in (some twice), a third have drafts, some have extensions.
    Submission.objects.bulk_create(
        [
            Submission(
                assignment=a,
                student=s,
                attempt=n,
                state="submitted",
                submitted_at=now,
                due_at=a.due_at,
                client_key=f"k{a.pk}-{s.pk}-{n}",
            )
            for a in assignments
            for i, s in enumerate(students)
            if i % 3 == 0
            for n in (1, 2)[: 1 + i % 2]
        ]
        + [
            Submission(assignment=a, student=s, text="nháp")
            for a in assignments
            for i, s in enumerate(students)
            if i % 3 == 1
        ]
    )
    Extension.objects.bulk_create(
        Extension(assignment=assignments[0], student=s, due_at=now, reason="r", granted_by=teacher)
        for s in students[::4]
    )
    return course, teacher, students, assignments


def _queries(user, url) -> tuple[int, dict]:
    client = APIClient()
    client.force_authenticate(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 200})
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/assignments/{a}/submissions/",
        "/api/v1/assignments/{a}/submissions/?status=late&sort=-submitted_at",
        "/api/v1/courses/{c}/assignments/",
    ],
)
def test_staff_lists_are_constant(school, url):
    counts = []
    for size in (5, 200):
        course, teacher, students, assignments = _class_of(school, size)
        count, body = _queries(teacher, url.format(a=assignments[0].pk, c=course.pk))
        counts.append(count)
        if "submissions/" in url and "status" not in url:
            assert body["count"] == size
    assert counts[0] == counts[1], counts


def test_student_lists_are_constant(school):
    counts = []
    for size in (5, 200):
        course, _teacher, students, _assignments = _class_of(school, size)
        for url in (f"/api/v1/courses/{course.pk}/assignments/", "/api/v1/assignments/due-soon/"):
            count, _body = _queries(students[0], url)
            counts.append((size, url.split("/")[3], count))
    assert [c for s, _u, c in counts if s == 5] == [c for s, _u, c in counts if s == 200], counts
