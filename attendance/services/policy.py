"""A course's attendance rules, the lesson's window, and time helpers shared by the services."""

from datetime import UTC, datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from classrooms.models import LiveSession
from courses.models import Course
from lms.errors import ServiceError
from lms.models import User

from .. import folding
from ..access import Cap, require_course
from ..models import AttendancePolicy

SessionStatus = LiveSession.Status


def ts(value: datetime) -> float:
    return value.timestamp()


def dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, tz=UTC)


def policy_for(course: Course) -> AttendancePolicy:
    """The course's policy, or the defaults (an unsaved row) when it has none."""
    policy = getattr(course, "_attendance_policy", None)
    if policy is None:
        policy = AttendancePolicy.objects.filter(course=course).first() or AttendancePolicy(
            course=course
        )
        course._attendance_policy = policy
    return policy


def session_window(session: LiveSession, policy: AttendancePolicy) -> folding.Window:
    """The scheduled time, shortened when the teacher ended the lesson early."""
    end = session.ends_at
    if session.ended_at and session.starts_at < session.ended_at < session.ends_at:
        end = session.ended_at
    return folding.Window(
        start=ts(session.starts_at), end=ts(end), grace=policy.grace_minutes * 60.0
    )


def session_is_over(session: LiveSession, now: datetime) -> bool:
    if session.status == SessionStatus.ENDED:
        return True
    return session.status != SessionStatus.LIVE and now >= session.ends_at


@transaction.atomic
def policy_update(*, course: Course, by: User, **values) -> AttendancePolicy:
    require_course(by, course, Cap.ATTENDANCE_OVERRIDE)
    policy = AttendancePolicy.objects.select_for_update().filter(course=course).first()
    policy = policy or AttendancePolicy(course=course)
    for name, value in values.items():
        if value is not None:
            setattr(policy, name, value)
    if not 0 <= policy.partial_percent <= policy.present_percent <= 100:
        raise ServiceError(
            _("The partial threshold must be between 0 and the present threshold (≤ 100%)."),
            field="partial_percent",
        )
    if not 10 <= policy.check_seconds <= 600:
        raise ServiceError(_("Give between 10 and 600 seconds."), field="check_seconds")
    if policy.random_checks > 10:
        raise ServiceError(_("At most 10 random checks per lesson."), field="random_checks")
    policy.save()
    course._attendance_policy = policy
    return policy
