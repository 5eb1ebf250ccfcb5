"""Disputes: a student contests a final mark once; staff accept (the mark is overridden) or
decline with a reply. Teachers hear of new disputes, students of the outcome."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Enrollment
from lms.errors import Conflict, NotFound, ServiceError
from lms.models import User

from ..access import Cap, require_course
from ..models import AttendanceMark, Dispute, MarkChange, MarkStatus
from .alerts import _send, site_url
from .marks import apply_override


def _teachers(course_id: int) -> list[User]:
    return list(
        User.objects.filter(
            enrollments__course_id=course_id,
            enrollments__role=Enrollment.Role.TEACHER,
            enrollments__status=Enrollment.Status.ACTIVE,
            is_active=True,
        ).distinct()
    )


@transaction.atomic
def dispute_open(
    *, mark: AttendanceMark, by: User, message: str, requested_status: str = ""
) -> Dispute:
    if mark.user_id != by.pk:
        raise NotFound()
    message = (message or "").strip()
    if not message:
        raise ServiceError(_("Say why the mark is wrong."), field="message")
    if requested_status and requested_status not in MarkStatus.values:
        raise ServiceError(_("Choose a mark."), field="requested_status")
    if not mark.is_final:
        raise Conflict(_("The lesson is not over yet."), code="not_final")
    mark = (
        AttendanceMark.objects.select_for_update()
        .select_related("session", "course", "user")
        .get(pk=mark.pk)
    )
    previous = Dispute.objects.filter(mark=mark).values_list("status", flat=True).first()
    if previous == Dispute.Status.OPEN:
        raise Conflict(_("This mark is already disputed."), code="open_dispute")
    if previous is not None:
        raise Conflict(
            _("Your dispute of this mark was already answered."), code="already_answered"
        )
    dispute = Dispute.objects.create(
        mark=mark, student=by, message=message[:4000], requested_status=requested_status
    )
    path = reverse("attendance:mark", args=[mark.pk])
    for teacher in _teachers(mark.course_id):
        _send(
            key=f"dispute:{dispute.pk}:opened:{teacher.pk}",
            kind="attendance_dispute",
            template="attendance/email/dispute_opened",
            context={
                "dispute": dispute,
                "mark": mark,
                "student": mark.user,
                "session": mark.session,
                "course": mark.course,
                "url": site_url(path),
            },
            language=teacher.preferred_language,
            user=teacher,
            url=path,
            ref=f"attendance.dispute:{dispute.pk}",
        )
    return dispute


@transaction.atomic
def dispute_resolve(
    *, dispute: Dispute, by: User, accept: bool, reply: str = "", status: str = ""
) -> Dispute:
    """Staff accept (the mark is overridden) or decline (a reply is required)."""
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("mark", "mark__course", "mark__session", "student")
        .get(pk=dispute.pk)
    )
    require_course(by, dispute.mark.course, Cap.ATTENDANCE_OVERRIDE)
    if dispute.status != Dispute.Status.OPEN:
        raise Conflict(_("This dispute was already answered."), code="resolved")
    reply = (reply or "").strip()
    if accept:
        status = status or dispute.requested_status or MarkStatus.PRESENT
        mark = AttendanceMark.objects.select_for_update().get(pk=dispute.mark_id)
        apply_override(
            mark=mark,
            by=by,
            status=status,
            reason=reply or dispute.message,
            action=MarkChange.Action.DISPUTE_ACCEPTED,
        )
        dispute.status = Dispute.Status.ACCEPTED
    else:
        if not reply:
            raise ServiceError(_("Tell the student why."), field="reply")
        dispute.status = Dispute.Status.DECLINED
    dispute.reply = reply
    dispute.resolved_by = by
    dispute.resolved_at = timezone.now()
    dispute.save(update_fields=["status", "reply", "resolved_by", "resolved_at"])
    mark = dispute.mark
    mark.refresh_from_db(fields=["status"])
    path = reverse("attendance:mark", args=[mark.pk])
    student = dispute.student
    _send(
        key=f"dispute:{dispute.pk}:resolved",
        kind="attendance_dispute",
        template="attendance/email/dispute_resolved",
        context={
            "dispute": dispute,
            "mark": mark,
            "student": student,
            "session": mark.session,
            "course": mark.course,
            "accepted": dispute.status == Dispute.Status.ACCEPTED,
            "url": site_url(path),
        },
        language=student.preferred_language,
        user=student,
        url=path,
        ref=f"attendance.dispute:{dispute.pk}",
    )
    return dispute
