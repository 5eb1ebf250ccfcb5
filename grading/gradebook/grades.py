"""Reads behind the grading page, grade details and the student's own grades."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from courses.models import Course, Enrollment
from lms.errors import NotFound

from ..models import (
    Assignment,
    Criterion,
    Grade,
    GradeChange,
    RegradeRequest,
    Rubric,
    Submission,
)
from .collation import name_sort_key


@dataclass
class QueueEntry:
    student_id: int
    full_name: str
    email: str
    submission: Submission | None
    grade: Grade | None

    @property
    def needs_grading(self) -> bool:
        if self.grade is None or (self.grade.score is None and not self.grade.excused):
            return self.submission is not None
        # A newer attempt than the one graded needs a look again.
        return self.submission is not None and self.grade.submission_id != self.submission.pk


def assignment_for(by, pk, cap: str) -> Assignment:
    """An assignment of a course the user may see, with the capability; 404 otherwise."""
    from .. import grade_access as access

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    assignment = Assignment.objects.select_related("course", "course__school").filter(pk=pk).first()
    if assignment is None or access.role_of(by, assignment.course) is None:
        raise NotFound()
    access.require(by, assignment.course, cap)
    return assignment


def assignment_queue(*, assignment: Assignment, needs_grading: bool = False) -> list[QueueEntry]:
    """Each active student with their latest attempt and grade: three queries."""
    students = list(
        Enrollment.objects.filter(
            course_id=assignment.course_id,
            role=Enrollment.Role.STUDENT,
            status=Enrollment.Status.ACTIVE,
        ).values_list("user_id", "user__full_name", "user__email")
    )
    latest: dict[int, Submission] = {}
    for submission in Submission.objects.filter(
        assignment=assignment, state=Submission.State.SUBMITTED
    ).order_by("student_id", "attempt"):
        latest[submission.student_id] = submission
    grades = {g.student_id: g for g in Grade.objects.filter(assignment=assignment)}
    entries = [
        QueueEntry(uid, name, email, latest.get(uid), grades.get(uid))
        for uid, name, email in students
    ]
    entries.sort(key=lambda e: (name_sort_key(e.full_name), e.email))
    if needs_grading:
        entries = [e for e in entries if e.needs_grading]
    return entries


def rubric_with_levels(pk) -> Rubric | None:
    if pk is None:
        return None
    return (
        Rubric.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.prefetch_related("levels"))
        )
        .first()
    )


def course_rubrics(*, course: Course) -> QuerySet[Rubric]:
    return Rubric.objects.filter(course=course).prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.prefetch_related("levels"))
    )


def rubric_in_course(*, course: Course, pk) -> Rubric:
    try:
        rubric = course_rubrics(course=course).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        rubric = None
    if rubric is None:
        raise NotFound()
    return rubric


def grade_of(*, assignment: Assignment, student_id) -> Grade | None:
    return (
        Grade.objects.filter(assignment=assignment, student_id=student_id)
        .select_related("student", "graded_by")
        .prefetch_related(
            Prefetch(
                "changes", queryset=GradeChange.objects.select_related("changed_by").order_by("pk")
            )
        )
        .first()
    )


def student_submissions(*, assignment: Assignment, student_id) -> list[Submission]:
    return list(
        Submission.objects.filter(
            assignment=assignment, student_id=student_id, state=Submission.State.SUBMITTED
        ).order_by("-attempt")
    )


def released_grades(*, student, course: Course | None = None) -> QuerySet[Grade]:
    """The student's released grades, newest first: the only grades a student ever reads."""
    grades = Grade.objects.filter(student=student, released_at__isnull=False).select_related(
        "assignment", "assignment__course", "rubric"
    )
    if course is not None:
        grades = grades.filter(assignment__course=course)
    return grades.prefetch_related(
        Prefetch(
            "regrade_requests",
            queryset=RegradeRequest.objects.order_by("-created_at"),
        )
    ).order_by("-released_at", "pk")


def released_grade_for(*, student, pk) -> Grade:
    try:
        grade = released_grades(student=student).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        grade = None
    if grade is None:
        raise NotFound()
    return grade


def course_regrade_requests(*, course: Course, status: str | None = None):
    requests = RegradeRequest.objects.filter(grade__assignment__course=course).select_related(
        "grade", "grade__assignment", "student", "answered_by"
    )
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "pk")


def regrade_request_in_course(*, course: Course, pk) -> RegradeRequest:
    try:
        found = course_regrade_requests(course=course).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def grades_to_do(*, user, limit: int = 8) -> list[dict]:
    """For the teacher's dashboard: assignments with attempts not graded yet (two queries)."""
    from django.db.models import Count, Exists, OuterRef, Q

    from courses.selectors import courses_taught_by

    courses = courses_taught_by(user).values("pk")
    graded = Grade.objects.filter(
        assignment=OuterRef("assignment"),
        student=OuterRef("student"),
        submission=OuterRef("pk"),
    ).filter(Q(score__isnull=False) | Q(excused=True))
    waiting = (
        Submission.objects.filter(assignment__course__in=courses, state=Submission.State.SUBMITTED)
        .annotate(done=Exists(graded))
        .filter(done=False)
        .values("assignment_id", "assignment__title", "assignment__course__title")
        .annotate(n=Count("pk"))
        .order_by("-n")[:limit]
    )
    return list(waiting)


def feedback_file_for(*, by, grade_id, file_id):
    """A feedback file of a grade, for its student once released or for the course's readers
    of the gradebook; NotFound for everyone else (and for ids not attached to the grade)."""
    from media.models import StoredFile

    from .. import grade_access as access

    try:
        grade = Grade.objects.select_related("assignment__course").get(pk=int(grade_id))
        file_id = int(file_id)
    except (Grade.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    own = grade.student_id == getattr(by, "pk", None) and grade.released_at is not None
    if not own and not access.can(by, grade.assignment.course, access.GRADEBOOK_READ):
        raise NotFound()
    if file_id not in (grade.feedback_files or []):
        raise NotFound()
    stored = StoredFile.objects.filter(pk=file_id).first()
    if stored is None:
        raise NotFound()
    return stored
