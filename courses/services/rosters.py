"""Roster imports: a file is read and previewed, then applied to the course in one go.

An import runs `enrollments_changed` once for all its rows rather than a hook per person.
"""

from django.db import transaction
from django.utils import timezone

from lms import hooks
from lms.access import Cap, SchoolCap
from lms.models import User

from .. import access, roster
from ..models import Course, Enrollment, EnrollmentChange, PendingEnrollment, RosterImport
from .enrolments import _check_open, membership_role_for


def roster_import_upload(
    *, course: Course, data: bytes, filename: str = "", by
) -> tuple[RosterImport, list[roster.RosterRow]]:
    """Read an uploaded file and keep it for the apply step; nothing is enrolled yet.

    A file that cannot be read raises ServiceError and is not kept.
    """
    access.require(by, course, Cap.ROSTER_MANAGE)
    text = roster.decode(data)
    rows = roster.classify(
        course, roster.parse(text), invite_staff=_grants_school_roles(by, course)
    )
    upload = RosterImport.objects.create(
        course=course,
        uploaded_by=None if access.is_system(by) else by,
        filename=(filename or "")[:255],
        content=text,
        summary=roster.summarize(rows),
    )
    return upload, rows


def _grants_school_roles(by, course: Course) -> bool:
    """Only the school's administrators (or the system) make people teachers of the school."""
    return access.can_school(by, course.school, SchoolCap.PEOPLE_MANAGE)


@transaction.atomic
def roster_import_apply(*, upload: RosterImport, by) -> dict:
    """Apply a previewed roster in one transaction: rows are classified again against the
    current state (so applying twice, or the same file twice, changes nothing the second time).

    Rows in error are skipped and reported; the rest are applied together or not at all.
    """
    upload = RosterImport.objects.select_for_update().get(pk=upload.pk)
    if upload.applied_at:  # a second click on Apply
        return {**upload.summary, "import_id": upload.pk}
    course = Course.objects.select_for_update().select_related("school").get(pk=upload.course_id)
    access.require(by, course, Cap.ROSTER_MANAGE)
    _check_open(course)
    rows = roster.classify(
        course, roster.parse(upload.content), invite_staff=_grants_school_roles(by, course)
    )
    result = roster.summarize(rows)
    person = None if access.is_system(by) else by  # who the history and invitations name
    result["enrolled"] = _apply_existing(course, rows, person)
    result["invited"], result["invitations_sent"] = _apply_new(course, rows, person)
    upload.applied_at = timezone.now()
    upload.summary = result
    upload.save(update_fields=["applied_at", "summary"])
    return {**result, "import_id": upload.pk}


def _apply_existing(course: Course, rows: list, by: User | None) -> int:
    to_apply = [r for r in rows if r.verdict == roster.Verdict.EXISTING]
    if not to_apply:
        return 0
    current = {
        e.user_id: e
        for e in Enrollment.objects.select_for_update()
        .filter(course=course, user_id__in=[r.user_id for r in to_apply])
        .order_by("pk")
    }
    created, updated, changes = [], [], []
    for row in to_apply:
        enrollment = current.get(row.user_id)
        if enrollment is None:
            created.append(Enrollment(course=course, user_id=row.user_id, role=row.role))
            continue
        action = (
            EnrollmentChange.Action.ROLE_CHANGED
            if enrollment.status == Enrollment.Status.ACTIVE
            else EnrollmentChange.Action.REACTIVATED
        )
        enrollment.status = Enrollment.Status.ACTIVE
        enrollment.dropped_at = None
        enrollment.role = row.role
        updated.append(enrollment)
        changes.append((enrollment, action))
    created = Enrollment.objects.bulk_create(created)
    Enrollment.objects.bulk_update(updated, ["status", "dropped_at", "role"])
    changes += [(e, EnrollmentChange.Action.ENROLLED) for e in created]
    EnrollmentChange.objects.bulk_create(
        EnrollmentChange(
            enrollment=e,
            action=action,
            role=e.role,
            source=EnrollmentChange.Source.ROSTER_IMPORT,
            changed_by=by,
        )
        for e, action in changes
    )
    if changes:
        hooks.run("enrollments_changed", enrollments=[e for e, _action in changes])
    return len(changes)


def _apply_new(course: Course, rows: list, by: User | None) -> tuple[int, int]:
    """Invite people who are not (yet) in the school, and promise them their enrolment."""
    from lms.models import Invitation
    from lms.services import invitation_create

    to_invite = [r for r in rows if r.verdict in (roster.Verdict.NEW, roster.Verdict.INVITE)]
    if not to_invite:
        return 0, 0
    emails = [r.email for r in to_invite]
    already_invited = set(
        Invitation.objects.filter(
            school=course.school,
            email__in=emails,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).values_list("email", "role")
    )
    open_pending = {
        p.email: p
        for p in PendingEnrollment.objects.select_for_update()
        .filter(course=course, email__in=emails, fulfilled_at__isnull=True)
        .order_by("pk")
    }
    sent = 0
    new_pending, changed_pending = [], []
    for row in to_invite:
        school_role = membership_role_for(row.role)
        if (row.email, school_role) not in already_invited:
            invitation_create(
                school=course.school,
                email=row.email,
                role=school_role,
                invited_by=by,
                full_name=row.full_name,
            )
            already_invited.add((row.email, school_role))
            sent += 1
        pending = open_pending.get(row.email)
        if pending is None:
            new_pending.append(
                PendingEnrollment(
                    course=course,
                    email=row.email,
                    full_name=row.full_name[:150],
                    role=row.role,
                    invited_by=by,
                )
            )
        elif pending.role != row.role:
            pending.role = row.role
            changed_pending.append(pending)
    PendingEnrollment.objects.bulk_create(new_pending)
    PendingEnrollment.objects.bulk_update(changed_pending, ["role"])
    return len(new_pending) + len(changed_pending), sent
