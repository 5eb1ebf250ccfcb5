"""Join codes: making and rotating them, and students enrolling themselves with one."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.access import Cap
from lms.errors import Conflict, Forbidden, Gone, NotFound, ServiceError
from lms.models import Membership, Role, User

from .. import access
from ..models import Course, Enrollment, EnrollmentChange
from .enrolments import _enrol

# Letters and digits that cannot be mistaken for one another when read aloud or copied from a
# projector: no 0/O, 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 7
# Wrong codes one person may type in JOIN_CODE_WINDOW seconds before being asked to wait.
JOIN_CODE_MAX_FAILURES = getattr(settings, "COURSES_JOIN_CODE_MAX_FAILURES", 10)
JOIN_CODE_WINDOW = 15 * 60


class TooManyAttempts(ServiceError):
    status = 429
    default_code = "too_many_attempts"


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


def normalize_join_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def join_code_rotate(*, course: Course, by) -> Course:
    """A new code; the old one stops working at once. `by` needs ROSTER_MANAGE (or is `SYSTEM`)."""
    access.require(by, course, Cap.ROSTER_MANAGE)
    _assign_join_code(course)
    return course


_UNSET = object()


@transaction.atomic
def join_code_update(
    *, course: Course, by, enabled: bool | None = None, expires_at=_UNSET
) -> Course:
    """Switch the code on or off, or set when it expires (None: never).

    `by` needs ROSTER_MANAGE on the course (or is `SYSTEM`).
    """
    access.require(by, course, Cap.ROSTER_MANAGE)
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
