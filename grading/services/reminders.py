"""What grading tells students through the lms inbox: a new assignment, a deadline in 24 hours.

Each message has a key, so a repeated task run (or a beat overlap) never sends it twice.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from courses.models import Enrollment
from lms.notifications import notify

from ..models import Assignment, Extension, Submission

REMIND_BEFORE = timedelta(hours=24)


def _url(assignment: Assignment) -> str:
    return settings.SITE_URL + reverse("grading:assignment", args=[assignment.pk])


def _when(instant: datetime, user) -> str:
    with timezone.override(user.time_zone):
        return formats.date_format(timezone.localtime(instant), "DATETIME_FORMAT")


def _students(course_id: int):
    return (
        Enrollment.objects.filter(
            course_id=course_id, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
        )
        .select_related("user")
        .order_by("pk")
    )


def assignment_published_notify(*, assignment_id: int) -> int:
    """Tell every student of the course about a newly published assignment. Returns how many
    were told this time."""
    assignment = (
        Assignment.objects.select_related("course")
        .filter(pk=assignment_id, status=Assignment.Status.PUBLISHED)
        .first()
    )
    if assignment is None:
        return 0
    sent = 0
    for enrollment in _students(assignment.course_id):
        student = enrollment.user
        with translation.override(student.preferred_language):
            title = _("New assignment: %(title)s") % {"title": assignment.title}
            body = _("%(course)s · due %(when)s") % {
                "course": assignment.course.title,
                "when": _when(assignment.due_at, student),
            }
        if notify(
            user=student,
            kind="assignment_new",
            key=f"assignment:{assignment.pk}:new:{student.pk}",
            title=title,
            body=body,
            url=_url(assignment),
            ref=f"grading.assignment:{assignment.pk}",
        ):
            sent += 1
    return sent


def deadline_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each student who has not handed in of a deadline in the next 24 hours (their
    extension's when they have one). Once per student and deadline."""
    now = now or timezone.now()
    horizon = now + REMIND_BEFORE
    candidates = (
        Enrollment.objects.filter(role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    assignments = Assignment.objects.filter(status=Assignment.Status.PUBLISHED).filter(
        Q(due_at__range=(now, horizon))
        | Q(pk__in=Extension.objects.filter(due_at__range=(now, horizon)).values("assignment_id"))
    )
    sent = 0
    for assignment in assignments.select_related("course"):
        own = {e.student_id: e.due_at for e in Extension.objects.filter(assignment=assignment)}
        handed_in = Exists(
            Submission.objects.filter(
                assignment=assignment, student=OuterRef("user_id"), state="submitted"
            )
        )
        for enrollment in candidates.filter(course_id=assignment.course_id).exclude(handed_in):
            student = enrollment.user
            due = own.get(student.pk, assignment.due_at)
            if not now <= due <= horizon:
                continue
            with translation.override(student.preferred_language):
                title = _("Due in less than 24 hours: %(title)s") % {"title": assignment.title}
                body = _("%(course)s · due %(when)s. You have not handed it in yet.") % {
                    "course": assignment.course.title,
                    "when": _when(due, student),
                }
            if notify(
                user=student,
                kind="assignment_due",
                key=f"assignment:{assignment.pk}:due:{student.pk}:{int(due.timestamp())}",
                title=title,
                body=body,
                url=_url(assignment),
                ref=f"grading.assignment:{assignment.pk}",
            ):
                sent += 1
    return sent
