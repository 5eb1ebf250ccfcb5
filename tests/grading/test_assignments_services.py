"""Creating, changing and publishing assignments: validation and sanitising."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grading.services import assignments as services
from lms.errors import Forbidden, NotFound, ServiceError

from .assign_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def create(course, by, **fields):
    values = {"title": "Bài luận", "due_at": timezone.now() + timedelta(days=7)} | fields
    return services.assignment_create(by=by, course=course, **values)


def test_instructions_lose_script_and_unsafe_links(course, people, teacher):
    assignment = create(
        course,
        teacher,
        instructions='<p onclick="x()">Đọc <a href="javascript:alert(1)">đây</a>'
        '<script>alert(1)</script><a href="https://vi.wikipedia.org">wiki</a></p>',
    )
    assert assignment.instructions == (
        '<p>Đọc <a>đây</a><a href="https://vi.wikipedia.org">wiki</a></p>'
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"available_from": timezone.now() + timedelta(days=30)}, "available_from"),
        ({"late_cutoff": timezone.now()}, "late_cutoff"),
        ({"late_penalty_percent": 120}, "late_penalty_percent"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_files": 0}, "max_files"),
        ({"allowed_extensions": ["pdf", "../exe"]}, "allowed_extensions"),
        ({"points": -1}, "points"),
    ],
)
def test_bad_fields_name_the_field(course, people, teacher, fields, field):
    with pytest.raises(ServiceError) as error:
        create(course, teacher, **fields)
    assert error.value.field == field


def test_extensions_are_normalised(course, people, teacher):
    assignment = create(course, teacher, allowed_extensions=[".PDF", "docx", "pdf"])
    assert assignment.allowed_extensions == ["pdf", "docx"]


def test_only_the_courses_teachers_manage(course, people):
    for who in ("student", "admin"):
        with pytest.raises(Forbidden):
            create(course, people[who])
    for who in ("other_teacher", "other_admin", "outsider_student"):
        with pytest.raises(NotFound):
            create(course, people[who])


def test_publish_and_unpublish(course, people, teacher, student):
    assignment = create(course, teacher)
    assert assignment.status == "draft"
    assignment = services.assignment_publish(by=teacher, assignment=assignment)
    assert assignment.status == "published" and assignment.published_at
    from grading.services.submissions import submission_submit

    submission_submit(by=student, assignment=assignment, client_key="abcdefgh", text="x")
    with pytest.raises(ServiceError, match="stays published"):
        services.assignment_unpublish(by=teacher, assignment=assignment)


def test_extension_needs_a_student_of_the_course_and_a_reason(assignment, people, teacher):
    due = timezone.now() + timedelta(days=9)
    with pytest.raises(NotFound):
        services.extension_grant(
            by=teacher,
            assignment=assignment,
            student_id=people["outsider_student"].pk,
            due_at=due,
            reason="x",
        )
    with pytest.raises(ServiceError, match="why"):
        services.extension_grant(
            by=teacher,
            assignment=assignment,
            student_id=people["student"].pk,
            due_at=due,
            reason=" ",
        )
