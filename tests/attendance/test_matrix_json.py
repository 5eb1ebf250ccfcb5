"""The course matrix API writes its JSON straight from the grid; it must say exactly what the
documented MatrixSerializer says about the same matrix, and what DRF's renderer wrote before."""

import json

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.renderers import JSONRenderer

from attendance import rules, selectors
from attendance.api import serializers as s
from attendance.api.matrix_json import matrix_json
from attendance.models import AttendanceMark
from courses.models import Enrollment
from tests.factories import attendance as f
from tests.factories.lms import member

pytestmark = pytest.mark.django_db

NAMES = ['Lê "An"', "Phạm Ánh\\", "Nguyễn\u2028Thị Dung", "Trần Văn Đức", "Vũ Ăn </script>"]
STATUSES = ["present", "late", "left_early", "absent", "excused"]


@pytest.fixture
def matrix(school, teacher):
    students = [member(school, "student", full_name=n) for n in NAMES]
    course = f.course_with(school, teacher, students)
    lessons = [
        f.lesson(course, minutes_ago=60 * 24 * (4 - i) + 90, status="ended") for i in range(4)
    ]
    f.lesson(course, status="ended")  # no marks: not a column
    now = timezone.now()
    for i, user in enumerate(students[:-1]):  # the last one has no mark at all
        for j, lesson in enumerate(lessons[: 4 - i % 2]):
            status = STATUSES[(i + j) % len(STATUSES)]
            AttendanceMark.objects.create(
                session=lesson,
                course=course,
                user=user,
                status=status,
                computed_status=status,
                override_status="present" if (i, j) == (1, 2) else "",
                is_final=j != 3,  # the last lesson is still under review
                computed_at=now,
            )
    # A dropped student keeps their history.
    Enrollment.objects.filter(course=course, user=students[0]).update(status="dropped")
    return selectors.course_matrix(course)


def documented_data(matrix) -> dict:
    """The matrix in MatrixSerializer's shape, as the view built it before writing its own."""
    return {
        "course": matrix["course"].pk,
        "sessions": [
            {"id": x["pk"], "starts_at": x["starts_at"], "rate": s.rate(r)}
            for x, r in zip(matrix["sessions"], matrix["session_rates"], strict=True)
        ],
        "rows": [
            {
                "user": row["user"],
                "marks": [c.status if c else None for c in row["marks"]],
                "rate": s.rate(row["rate"]),
            }
            for row in matrix["rows"]
        ],
    }


def _starts_as_instants(data: dict) -> dict:
    # The serializer writes times in the school's zone, the API in UTC: the same instants.
    for session in data["sessions"]:
        session["starts_at"] = parse_datetime(session["starts_at"])
    return data


def test_written_json_equals_the_serializer(matrix):
    assert len(matrix["sessions"]) == 4 and len(matrix["rows"]) == len(NAMES)
    assert any(row["marks"].count(None) == len(row["marks"]) for row in matrix["rows"])
    assert {row["rate"] for row in matrix["rows"]} - {None}  # real rates are compared
    written = json.loads(matrix_json(matrix["course"].pk, matrix))
    documented = s.MatrixSerializer(documented_data(matrix)).data
    rendered = json.loads(JSONRenderer().render(documented))
    assert _starts_as_instants(written) == _starts_as_instants(rendered)


def test_written_json_is_what_the_renderer_wrote(matrix):
    data = documented_data(matrix)
    for row in data["rows"]:
        user = row["user"]
        row["user"] = {"id": user.pk, "name": user.full_name, "email": user.email}
    body = matrix_json(matrix["course"].pk, matrix)
    assert body == JSONRenderer().render(data)
    assert b"\\u2028" in body  # escaped as DRF does


def test_the_api_answers_the_written_json(api_client, matrix, teacher):
    api_client.force_authenticate(teacher)
    response = api_client.get(f"/api/v1/attendance/courses/{matrix['course'].pk}/matrix/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == matrix_json(matrix["course"].pk, matrix)


def test_rates_count_final_marks_only(matrix):
    course = matrix["course"]
    final = AttendanceMark.objects.filter(course=course, is_final=True)
    for row in matrix["rows"]:
        statuses = final.filter(user=row["user"].pk).values_list("status", flat=True)
        assert row["rate"] == rules.rate(*rules.tally(statuses))
        marks = AttendanceMark.objects.filter(course=course, user=row["user"].pk)
        assert sum(c is not None for c in row["marks"]) == marks.count()
    for session, rate in zip(matrix["sessions"], matrix["session_rates"], strict=True):
        statuses = final.filter(session=session["pk"]).values_list("status", flat=True)
        assert rate == rules.rate(*rules.tally(statuses))
    assert matrix["session_rates"][-1] is None  # the lesson under review counts nothing yet
