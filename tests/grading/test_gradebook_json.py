"""The gradebook API writes its JSON straight from the grid; it must say exactly what the
documented GradebookSerializer says about the same gradebook."""

import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from attendance.models import AttendancePolicy, AttendanceRate
from grading.api.grade_serializers import GradebookSerializer
from grading.api.gradebook_json import gradebook_json
from grading.api.gradebook_views import _settings_data
from grading.gradebook.selectors import course_gradebook
from grading.models import Category, Extension, Grade, GradebookSettings
from grading.services.grades import grade_save
from tests.factories.grades import assignment, submission, world


def _due_as_instants(data: dict) -> dict:
    # The serializer writes due times in the school's zone, the writer in UTC: same instant.
    for column in data["columns"]:
        column["due_at"] = parse_datetime(column["due_at"])
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("scale", ["ten", "letter"])
def test_written_json_equals_the_serializer(scale):
    w = world(names=['Lê "An"', "Phạm Ánh\\", "Nguyễn Thị\u2028Dung", "Trần Văn Đức", "Vũ Ăn"])
    GradebookSettings.objects.create(course=w.course, scale=scale, attendance_weight=D("1.5"))
    Category.objects.create(course=w.course, name="tx", weight=1, drop_lowest=1)
    Category.objects.create(course=w.course, name="ck", weight=3)
    items = [
        assignment(w.course, title=f'Bài "{i}" <b>', category="tx" if i < 3 else "ck")
        for i in range(4)
    ]
    s0, s1, s2, s3, _s4 = w.students
    for a, score in zip(items, ["8.5", "2", "9.25", "7"], strict=True):
        grade_save(by=w.teacher, assignment=a, student_id=s0.pk, version=None, score=D(score))
    submission(items[0], s1, seconds_late=3600)
    submission(items[1], s2)
    grade_save(by=w.teacher, assignment=items[2], student_id=s2.pk, version=None, excused=True)
    Grade.objects.filter(student=s0, assignment=items[1]).update(released_at=timezone.now())
    Extension.objects.create(
        assignment=items[3], student=s3, due_at=timezone.now() + timedelta(days=3), reason="ốm"
    )
    AttendancePolicy.objects.create(course=w.course, gradebook_column=True)
    AttendanceRate.objects.create(
        course=w.course, user=s0, lessons_counted=3, credited=2, rate=2 / 3
    )

    book = course_gradebook(course=w.course)
    assert book.rows[0].total.dropped  # the case with a dropped item is covered
    written = json.loads(gradebook_json(book, _settings_data(book)))
    documented = GradebookSerializer(
        {
            "course": book.course,
            "settings": _settings_data(book),
            "attendance_column": book.attendance_column,
            "columns": book.columns,
            "rows": book.rows,
        }
    ).data
    assert _due_as_instants(written) == _due_as_instants(json.loads(json.dumps(documented)))
    assert "\u2028".encode() not in gradebook_json(book, _settings_data(book))  # escaped
