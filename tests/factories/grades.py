"""Builders for grading tests: a course with staff, students, assignments and submissions."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from grading.models import Assignment, Submission
from grading.services.rubrics import rubric_create
from lms.models import Membership
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import SchoolFactory, member


def assignment(course, *, title="Bài 1", points=10, due_in_days=-1, **fields) -> Assignment:
    now = timezone.now()
    return Assignment.objects.create(
        course=course,
        title=title,
        points=Decimal(points),
        due_at=now + timedelta(days=due_in_days),
        late_cutoff=now + timedelta(days=30),
        status=Assignment.Status.PUBLISHED,
        **fields,
    )


def submission(assign, student, *, attempt=1, seconds_late=0, penalty=0) -> Submission:
    return Submission.objects.create(
        assignment=assign,
        student=student,
        attempt=attempt,
        state=Submission.State.SUBMITTED,
        submitted_at=timezone.now(),
        due_at=assign.due_at,
        seconds_late=seconds_late,
        penalty_percent=Decimal(penalty),
        text=f"Bài làm của {student.full_name}",
    )


def simple_rubric(course, by, title="Thang điểm"):
    return rubric_create(
        by=by,
        course=course,
        title=title,
        criteria=[
            {
                "title": "Nội dung",
                "levels": [
                    {"points": "6", "description": "Tốt"},
                    {"points": "3", "description": "Đạt"},
                    {"points": "0", "description": "Chưa đạt"},
                ],
            },
            {
                "title": "Trình bày",
                "levels": [
                    {"points": "4", "description": "Rõ ràng"},
                    {"points": "2", "description": "Tạm"},
                ],
            },
        ],
    )


@dataclass
class World:
    school: object
    course: object
    teacher: object
    assistant: object
    students: list
    other_teacher: object
    other_student: object
    admin: object
    assignments: list = field(default_factory=list)


def world(*, students: int = 3, names=None) -> World:
    school = SchoolFactory()
    course = CourseFactory(school=school, title="Toán 10A")
    teacher = member(school, "teacher", full_name="Cô Lan")
    assistant = member(school, "teacher", full_name="Thầy Minh")
    enrol(course, teacher, "teacher")
    enrol(course, assistant, "assistant")
    names = names or [f"Nguyễn Văn {chr(65 + i)}" for i in range(students)]
    people = []
    for name in names:
        user = member(school, "student", full_name=name)
        enrol(course, user, "student")
        people.append(user)
    other_course = CourseFactory(school=school, title="Văn 10B")
    other_teacher = member(school, "teacher", full_name="Cô Hoa")
    enrol(other_course, other_teacher, "teacher")
    other_student = member(school, "student", full_name="Lê Thị Xuân")
    enrol(other_course, other_student, "student")
    admin = member(school, "admin", full_name="Hiệu trưởng")
    return World(school, course, teacher, assistant, people, other_teacher, other_student, admin)


def membership_count(school) -> int:
    return Membership.objects.filter(school=school).count()
