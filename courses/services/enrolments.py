"""Enrolling people one at a time, dropping them, and keeping the promises of roster imports.

Every change runs the `enrollment_changed` hook so the apps above follow it.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import hooks
from lms.access import Cap
from lms.errors import Conflict, Gone, ServiceError
from lms.models import Membership, Role, User

from .. import access
from ..models import Course, Enrollment, EnrollmentChange, PendingEnrollment


def membership_role_for(enrollment_role: str) -> str:
    """The school role a course role needs: students are students, staff are teachers."""
    return Role.STUDENT if enrollment_role == Enrollment.Role.STUDENT else Role.TEACHER


def _record(enrollment: Enrollment, action: str, source: str, by) -> None:
    """History: who changed the enrolment (nobody for `SYSTEM` or an unknown inviter)."""
    EnrollmentChange.objects.create(
        enrollment=enrollment,
        action=action,
        role=enrollment.role,
        source=source,
        changed_by=None if access.is_system(by) else by,
    )


def _enrol(*, course: Course, user: User, role: str, source: str, by) -> tuple[Enrollment, bool]:
    """Create, reactivate or change the role of an enrolment. Returns (enrollment, changed)."""
    enrollment = (
        Enrollment.objects.select_for_update().filter(course=course, user=user).order_by().first()
    )
    if enrollment is None:
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(course=course, user=user, role=role)
        except IntegrityError:  # created by a simultaneous request
            enrollment = Enrollment.objects.select_for_update().get(course=course, user=user)
        else:
            _record(enrollment, EnrollmentChange.Action.ENROLLED, source, by)
            hooks.run("enrollment_changed", enrollment=enrollment)
            return enrollment, True
    if enrollment.status == Enrollment.Status.ACTIVE and enrollment.role == role:
        return enrollment, False
    action = (
        EnrollmentChange.Action.ROLE_CHANGED
        if enrollment.status == Enrollment.Status.ACTIVE
        else EnrollmentChange.Action.REACTIVATED
    )
    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.dropped_at = None
    enrollment.role = role
    enrollment.save(update_fields=["status", "dropped_at", "role"])
    _record(enrollment, action, source, by)
    hooks.run("enrollment_changed", enrollment=enrollment)
    return enrollment, True


def _check_open(course: Course) -> None:
    if course.status == Course.Status.ARCHIVED:
        raise Gone(_("This course is archived; nobody can be added to it."), code="archived")


@transaction.atomic
def enrollment_create(
    *,
    course: Course,
    user: User,
    by,
    role: str = Enrollment.Role.STUDENT,
    source: str = EnrollmentChange.Source.STAFF,
) -> Enrollment:
    """Enrol a member of the course's school. A dropped person is enrolled again.

    `by` needs ROSTER_MANAGE on the course (or is `SYSTEM`).
    """
    access.require(by, course, Cap.ROSTER_MANAGE)
    if role not in Enrollment.Role.values:
        raise ServiceError(_("Unknown role. Use student, teacher or assistant."), field="role")
    _check_open(course)
    needed = membership_role_for(role)
    if not Membership.objects.filter(user=user, school_id=course.school_id, role=needed).exists():
        if needed == Role.STUDENT:
            message = _("%(name)s is not a student of %(school)s. Invite them to the school first.")
        else:
            message = _("%(name)s is not a teacher of %(school)s. Invite them to the school first.")
        raise ServiceError(
            message % {"name": user.full_name or user.email, "school": course.school.name},
            code="not_a_member",
            field="email",
        )
    enrollment, changed = _enrol(course=course, user=user, role=role, source=source, by=by)
    if not changed:
        raise Conflict(
            _("%(name)s is already in this course as %(role)s.")
            % {"name": user.full_name or user.email, "role": enrollment.get_role_display()},
            code="already_enrolled",
            field="email",
        )
    return enrollment


@transaction.atomic
def enrollment_create_by_email(
    *, course: Course, email: str, by, role: str = Enrollment.Role.STUDENT
) -> Enrollment:
    """Enrol the member of the school with this address. `by` needs ROSTER_MANAGE, checked
    before the address is looked up so nobody learns who has an account."""
    access.require(by, course, Cap.ROSTER_MANAGE)
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        raise ServiceError(
            _(
                "Nobody with this e-mail address has an account. Import them with a roster file "
                "to send an invitation."
            ),
            code="no_account",
            field="email",
        )
    return enrollment_create(course=course, user=user, role=role, by=by)


@transaction.atomic
def enrollment_drop(*, enrollment: Enrollment, by) -> Enrollment:
    """Take someone out of a course. The row and everything linked to it stay.

    `by` needs ROSTER_MANAGE on the course (or is `SYSTEM`). A course that runs keeps at least
    one teacher: dropping the last one (oneself included) is refused until another is added.
    """
    access.require(by, enrollment.course, Cap.ROSTER_MANAGE)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.DROPPED:
        return enrollment
    if enrollment.role == Enrollment.Role.TEACHER and not (
        Enrollment.objects.select_for_update()
        .filter(course_id=enrollment.course_id, role=Enrollment.Role.TEACHER)
        .filter(status=Enrollment.Status.ACTIVE)
        .exclude(pk=enrollment.pk)
        .exists()
    ):
        course = Course.objects.get(pk=enrollment.course_id)
        if course.status != Course.Status.ARCHIVED:
            raise Conflict(
                _("A course needs a teacher. Add another teacher before dropping the last one."),
                code="last_teacher",
            )
    enrollment.status = Enrollment.Status.DROPPED
    enrollment.dropped_at = timezone.now()
    enrollment.save(update_fields=["status", "dropped_at"])
    _record(enrollment, EnrollmentChange.Action.DROPPED, EnrollmentChange.Source.STAFF, by)
    hooks.run("enrollment_changed", enrollment=enrollment)
    return enrollment


@transaction.atomic
def pending_enrollments_fulfil(*, membership: Membership) -> list[Enrollment]:
    """Hook `membership_granted`: enrol someone in the courses a roster import promised them."""
    if membership.role == Role.STUDENT:
        roles = [Enrollment.Role.STUDENT]
    elif membership.role == Role.TEACHER:
        roles = list(Enrollment.STAFF_ROLES)
    else:
        return []
    user = membership.user
    pending = list(
        PendingEnrollment.objects.select_for_update(of=("self",))
        .filter(
            course__school_id=membership.school_id,
            email=user.email.lower(),
            role__in=roles,
            fulfilled_at__isnull=True,
        )
        .select_related("course", "invited_by")
        .order_by("pk")
    )
    enrollments = []
    for item in pending:
        enrollment, _changed = _enrol(
            course=item.course,
            user=user,
            role=item.role,
            source=EnrollmentChange.Source.INVITATION,
            by=item.invited_by,
        )
        item.fulfilled_at = timezone.now()
        item.enrollment = enrollment
        item.save(update_fields=["fulfilled_at", "enrollment"])
        enrollments.append(enrollment)
    return enrollments


@transaction.atomic
def pending_enrollment_cancel(*, pending: PendingEnrollment, by) -> None:
    """Withdraw a promised enrolment (the invitation to the school itself stays).

    `by` needs ROSTER_MANAGE on the pending enrolment's course (or is `SYSTEM`).
    """
    access.require(by, pending.course, Cap.ROSTER_MANAGE)
    PendingEnrollment.objects.filter(pk=pending.pk, fulfilled_at__isnull=True).delete()
