"""Every write about courses, enrolments, join codes and rosters.

Each function is one transaction. Every enrolment change runs the `enrollment_changed` hook (a
roster import runs `enrollments_changed` once for all its rows) so the apps above (Wagtail edit
rights, calendars, ...) follow it.
"""

import datetime
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import hooks
from lms.access import Cap, SchoolCap
from lms.errors import Conflict, Gone, NotFound, ServiceError
from lms.models import Membership, Role, School, User
from lms.validators import clean_line

from . import access, roster
from .models import Course, Enrollment, EnrollmentChange, PendingEnrollment, RosterImport

# Letters and digits that cannot be mistaken for one another when read aloud or copied from a
# projector: no 0/O, 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 7
# Wrong codes one person may type in JOIN_CODE_WINDOW seconds before being asked to wait.
JOIN_CODE_MAX_FAILURES = getattr(settings, "COURSES_JOIN_CODE_MAX_FAILURES", 10)
JOIN_CODE_WINDOW = 15 * 60

COURSE_FIELDS = (
    "code",
    "title",
    "description",
    "term_start",
    "term_end",
    "status",
    "in_catalogue",
    "time_zone",
)


class Forbidden(ServiceError):
    status = 403
    default_code = "forbidden"


class TooManyAttempts(ServiceError):
    status = 429
    default_code = "too_many_attempts"


def membership_role_for(enrollment_role: str) -> str:
    """The school role a course role needs: students are students, staff are teachers."""
    return Role.STUDENT if enrollment_role == Enrollment.Role.STUDENT else Role.TEACHER


# --- Courses --------------------------------------------------------------------------------


def _validate_course(course: Course) -> None:
    course.code = clean_line(course.code, field="code")
    course.title = clean_line(course.title, field="title")
    if not course.code:
        raise ServiceError(_("Give the course a short code, such as TOAN-10A."), field="code")
    if not course.title:
        raise ServiceError(_("Give the course a title."), field="title")
    if course.term_start and course.term_end and course.term_end < course.term_start:
        raise ServiceError(_("The term cannot end before it starts."), field="term_end")
    duplicate = Course.objects.filter(school_id=course.school_id, code__iexact=course.code)
    if course.pk:
        duplicate = duplicate.exclude(pk=course.pk)
    if duplicate.exists():
        raise Conflict(_("Another course of this school already uses this code."), field="code")
    try:
        course.full_clean(exclude=["school", "join_code"], validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=field) from None


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _i in range(JOIN_CODE_LENGTH))


def _assign_join_code(course: Course) -> None:
    """Give the course a fresh, unused code; the unique index settles any race."""
    for _attempt in range(10):
        code = _new_join_code()
        if Course.objects.filter(join_code=code).exists():
            continue
        try:
            with transaction.atomic():
                Course.objects.filter(pk=course.pk).update(join_code=code)
        except IntegrityError:
            continue
        course.join_code = code
        return
    raise Conflict(_("Could not make a new join code. Try again."))


@transaction.atomic
def course_create(
    *,
    school: School,
    code: str,
    title: str,
    description: str = "",
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
    status: str = Course.Status.DRAFT,
    in_catalogue: bool = False,
    time_zone: str = "",
) -> Course:
    if status == Course.Status.ARCHIVED:
        raise ServiceError(_("A new course cannot start archived."), field="status")
    course = Course(
        school=school,
        code=code,
        title=title,
        description=description or "",
        term_start=term_start,
        term_end=term_end,
        status=status,
        in_catalogue=in_catalogue,
        time_zone=time_zone or "",
    )
    _validate_course(course)
    course.save()
    _assign_join_code(course)
    hooks.run("course_created", course=course)
    return course


@transaction.atomic
def course_update(*, course: Course, **changes) -> Course:
    """Change a course's details. Archiving goes through `course_archive`; an archived course
    may be reopened by setting its status to draft or active."""
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    archive = changes.get("status") == Course.Status.ARCHIVED
    if archive:
        changes.pop("status")
    for name, value in changes.items():
        if value is None and name in ("code", "title", "description", "time_zone"):
            value = ""
        setattr(course, name, value)
    _validate_course(course)
    course.save()
    hooks.run("course_updated", course=course)
    if archive:
        course_archive(course=course)
    return course


@transaction.atomic
def course_archive(*, course: Course) -> Course:
    """Close a course: nobody joins any more, nothing is deleted."""
    if course.status != Course.Status.ARCHIVED:
        course.status = Course.Status.ARCHIVED
        course.save(update_fields=["status", "updated_at"])
        hooks.run("course_archived", course=course)
    return course


# --- Enrolments -----------------------------------------------------------------------------


def _record(enrollment: Enrollment, action: str, source: str, by: User | None) -> None:
    EnrollmentChange.objects.create(
        enrollment=enrollment, action=action, role=enrollment.role, source=source, changed_by=by
    )


def _enrol(
    *, course: Course, user: User, role: str, source: str, by: User | None
) -> tuple[Enrollment, bool]:
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
    role: str = Enrollment.Role.STUDENT,
    by: User | None = None,
    source: str = EnrollmentChange.Source.STAFF,
) -> Enrollment:
    """Enrol a member of the course's school. A dropped person is enrolled again."""
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
    *, course: Course, email: str, role: str = Enrollment.Role.STUDENT, by: User | None = None
) -> Enrollment:
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
    _record(
        enrollment,
        EnrollmentChange.Action.DROPPED,
        EnrollmentChange.Source.STAFF,
        None if access.is_system(by) else by,
    )
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
def pending_enrollment_cancel(*, pending: PendingEnrollment) -> None:
    """Withdraw a promised enrolment (the invitation to the school itself stays)."""
    PendingEnrollment.objects.filter(pk=pending.pk, fulfilled_at__isnull=True).delete()


# --- Join codes -----------------------------------------------------------------------------


def normalize_join_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def join_code_rotate(*, course: Course) -> Course:
    """A new code; the old one stops working at once."""
    _assign_join_code(course)
    return course


_UNSET = object()


@transaction.atomic
def join_code_update(*, course: Course, enabled: bool | None = None, expires_at=_UNSET) -> Course:
    fields = []
    if enabled is not None:
        course.join_code_enabled = enabled
        fields.append("join_code_enabled")
        if enabled and not course.join_code:
            _assign_join_code(course)
    if expires_at is not _UNSET:
        if expires_at is not None and expires_at <= timezone.now():
            raise ServiceError(_("Choose an expiry in the future."), field="expires_at")
        course.join_code_expires_at = expires_at
        fields.append("join_code_expires_at")
    if fields:
        course.save(update_fields=[*fields, "updated_at"])
    return course


def _join_failures_key(user: User) -> str:
    return f"courses:join-failures:{user.pk}"


def _count_join_failure(user: User) -> None:
    key = _join_failures_key(user)
    cache.add(key, 0, timeout=JOIN_CODE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=JOIN_CODE_WINDOW)


@transaction.atomic
def enrollment_join_by_code(*, user: User, code: str) -> Enrollment:
    """A student of the course's school enrols themself with the code their teacher gave."""
    normalized = normalize_join_code(code)
    if not normalized:
        raise ServiceError(_("Type the code your teacher gave you."), field="code")
    if (cache.get(_join_failures_key(user)) or 0) >= JOIN_CODE_MAX_FAILURES:
        raise TooManyAttempts(
            _("Too many wrong codes. Wait a quarter of an hour, then try again."), field="code"
        )
    course = Course.objects.select_related("school").filter(join_code=normalized).first()
    if course is None:
        _count_join_failure(user)
        raise NotFound(
            _("No course has this code. Check it with your teacher and type it again."),
            code="invalid_code",
            field="code",
        )
    memberships = set(
        Membership.objects.filter(user=user, school_id=course.school_id).values_list(
            "role", flat=True
        )
    )
    if Role.STUDENT not in memberships:
        _count_join_failure(user)
        if memberships:
            message = _(
                "Only students of %(school)s join courses with a code. Ask the course's teacher "
                "or your school administrator to add you."
            ) % {"school": course.school.name}
        else:
            message = _(
                "This code is for a course of another school. You can only join courses of a "
                "school you are a student of."
            )
        raise Forbidden(message, code="not_in_school", field="code")
    if not course.join_code_enabled:
        raise Gone(
            _("Joining this course with a code is switched off. Ask your teacher."),
            code="join_code_disabled",
            field="code",
        )
    if course.join_code_expires_at and course.join_code_expires_at <= timezone.now():
        raise Gone(
            _("This code has expired. Ask your teacher for a new one."),
            code="join_code_expired",
            field="code",
        )
    if course.status != Course.Status.ACTIVE:
        raise Gone(
            _("This course is not open yet.")
            if course.status == Course.Status.DRAFT
            else _("This course has ended."),
            code="course_closed",
            field="code",
        )
    if Enrollment.objects.filter(
        course=course, user=user, status=Enrollment.Status.ACTIVE
    ).exists():
        raise Conflict(
            _("You are already in %(course)s.") % {"course": course.title},
            code="already_enrolled",
            field="code",
        )
    enrollment, _changed = _enrol(
        course=course,
        user=user,
        role=Enrollment.Role.STUDENT,
        source=EnrollmentChange.Source.JOIN_CODE,
        by=user,
    )
    return enrollment


# --- Rosters --------------------------------------------------------------------------------


def roster_import_upload(
    *, course: Course, data: bytes, filename: str = "", by: User | None
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
def roster_import_apply(*, upload: RosterImport, by: User | None) -> dict:
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
    result["enrolled"] = _apply_existing(course, rows, by)
    result["invited"], result["invitations_sent"] = _apply_new(course, rows, by)
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
