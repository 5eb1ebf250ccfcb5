"""Reads about assignments, narrowed to what the asker may see; O(1) queries per list."""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from courses import access
from courses.models import Course, Enrollment
from lms.errors import NotFound

from .. import permissions
from ..models import Assignment, Extension, Submission


def course_for(user, course_id) -> tuple[Course, str]:
    """A course the user may see and their role in it (one query); 404 otherwise."""
    course = access.course_for(user, course_id)
    return course, course.my_role


def assignment_for(user, pk) -> tuple[Assignment, str]:
    """An assignment and the user's role in its course. Students see published ones only;
    everyone else outside the course gets 404, so ids cannot be probed."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    assignment = Assignment.objects.select_related("course", "course__school").filter(pk=pk).first()
    role = access.role_of(user, assignment.course) if assignment else None
    if not permissions.may_view(role):
        raise NotFound()
    if not permissions.may_read_all(role) and not assignment.is_published:
        raise NotFound()
    return assignment, role


def _mine(user):
    mine = Submission.objects.filter(assignment=OuterRef("pk"), student=user)
    return {
        "my_attempts": Subquery(
            mine.filter(state=Submission.State.SUBMITTED)
            .order_by()
            .values("assignment")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        "my_last_submitted_at": Subquery(
            mine.filter(state=Submission.State.SUBMITTED)
            .order_by("-attempt")
            .values("submitted_at")[:1]
        ),
        "my_last_seconds_late": Subquery(
            mine.filter(state=Submission.State.SUBMITTED)
            .order_by("-attempt")
            .values("seconds_late")[:1]
        ),
        "my_has_draft": Exists(mine.filter(state=Submission.State.DRAFT)),
        "my_due_at": Subquery(
            Extension.objects.filter(assignment=OuterRef("pk"), student=user).values("due_at")[:1]
        ),
    }


def assignments_of_course(user, course: Course, role: str) -> QuerySet[Assignment]:
    """Staff see every assignment with how many students handed in; students see the
    published ones with their own progress. One query either way."""
    assignments = Assignment.objects.filter(course=course).select_related("course")
    if permissions.may_read_all(role):
        return assignments.annotate(
            submitted_count=Count(
                "submissions__student",
                filter=Q(submissions__state=Submission.State.SUBMITTED),
                distinct=True,
            )
        ).order_by("due_at", "pk")
    return (
        assignments.filter(status=Assignment.Status.PUBLISHED)
        .annotate(**_mine(user))
        .order_by("due_at", "pk")
    )


def assignments_due_soon(user, *, now: datetime | None = None, days: int = 7) -> list[Assignment]:
    """Published work the student still owes, due in the next `days` (their extension's due time
    when they have one), soonest first. One query."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    student_of = Enrollment.objects.filter(
        user=user, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
    ).values("course_id")
    assignments = (
        Assignment.objects.filter(course_id__in=student_of, status=Assignment.Status.PUBLISHED)
        .exclude(available_from__gt=now)
        .annotate(**_mine(user))
        .select_related("course")
    )
    soon = []
    horizon = now + timedelta(days=days)
    for assignment in assignments.filter(
        Q(due_at__range=(now, horizon))
        | Q(
            pk__in=Extension.objects.filter(student=user, due_at__range=(now, horizon)).values(
                "assignment_id"
            )
        )
    ):
        due = assignment.my_due_at or assignment.due_at
        if now <= due <= horizon and not assignment.my_attempts:
            assignment.effective_due_at = due
            soon.append(assignment)
    return sorted(soon, key=lambda a: a.effective_due_at)


def deadlines_for_feed(user, *, now: datetime) -> QuerySet[Assignment]:
    """Published assignments of the courses the user studies in, due within a month back and
    half a year ahead (by their own deadline), with `my_due_at`. One query."""
    student_of = Enrollment.objects.filter(
        user=user, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
    ).values("course_id")
    window = (now - timedelta(days=31), now + timedelta(days=183))
    return (
        Assignment.objects.filter(course_id__in=student_of, status=Assignment.Status.PUBLISHED)
        .annotate(**_mine(user))
        .filter(Q(due_at__range=window) | Q(my_due_at__range=window))
        .select_related("course")
        .order_by("due_at", "pk")
    )
