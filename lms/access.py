"""Who may do what: the one table of roles and capabilities.

Every access decision in Lophoc is "does this role hold this capability?", answered here.
The role comes from the object (`courses.access.role_of` / `course_for` load it in the same
query as the course); this module only knows the table, so it imports nothing from the apps
above `lms` and every app (courses, cms, classrooms, attendance, grading, media) asks it.

Course roles
    teacher, assistant, student: an active enrolment in the course.
    admin: an administrator of the course's school, who observes every course of the school.
    A dropped enrolment is no role at all (the course does not exist for that person).

Decisions worth knowing
    - Teachers hold every capability on their course except COURSE_EDIT: the course record
      (code, title, terms, catalogue, archive) belongs to the school, so its administrators
      edit it; teachers edit the course's content, roster, lessons, assignments and grades.
    - Assistants read everything, run the room's presence checks, manage live lessons and
      grade; they do not release grades, override attendance, manage the roster or assignments.
    - Students view the course, read its content (only while the course is active: a
      course-state rule kept in cms), join live lessons and submit work.
    - A school administrator observes: every READ capability, plus COURSE_EDIT, ROSTER_MANAGE,
      ATTENDANCE_OVERRIDE, ATTENDANCE_COMPUTE. They do not grade, release, teach or moderate.
    - The platform operator (`is_superuser`) has no course or school role by virtue of being
      an operator: they work through the Django admin and the operator-only health check. To
      act in a school they are given a membership there like anyone else. This keeps one
      rule for the API and the pages and makes "who saw this student's work" answerable.

Objects a user cannot see at all answer 404 (`lms.errors.NotFound`), so ids cannot be probed;
a member who can see the object but lacks the capability gets 403 (`lms.errors.Forbidden`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Role as SchoolRole

__all__ = [
    "COURSE_CAPABILITIES",
    "SCHOOL_CAPABILITIES",
    "Cap",
    "CourseRole",
    "SchoolCap",
    "SchoolRole",
    "caps_of",
    "role_can",
    "roles_with",
    "school_role_can",
]


class CourseRole(models.TextChoices):
    TEACHER = "teacher", pgettext_lazy("course role", "teacher")
    ASSISTANT = "assistant", pgettext_lazy("course role", "assistant")
    STUDENT = "student", pgettext_lazy("course role", "student")
    SCHOOL_ADMIN = "admin", pgettext_lazy("course role", "school administrator")


class Cap(models.TextChoices):
    """Capabilities on one course."""

    COURSE_VIEW = "course_view", _("see the course")
    COURSE_EDIT = "course_edit", _("edit and archive the course")
    CONTENT_READ = "content_read", _("read the course's lessons")
    CONTENT_EDIT = "content_edit", _("edit the course's lessons")
    ROSTER_READ = "roster_read", _("see the roster")
    ROSTER_MANAGE = "roster_manage", _("add and drop people, manage the join code")
    LIVE_JOIN = "live_join", _("join live lessons")
    LIVE_MANAGE = "live_manage", _("schedule, start and end live lessons")
    ROOM_MODERATE = "room_moderate", _("moderate the live room")
    ATTENDANCE_READ_ALL = "attendance_read_all", _("see everyone's attendance")
    ATTENDANCE_OVERRIDE = "attendance_override", _("change attendance marks")
    ATTENDANCE_CHECK = "attendance_check", _("run presence checks")
    ATTENDANCE_COMPUTE = "attendance_compute", _("compute attendance marks")
    ASSIGNMENT_MANAGE = "assignment_manage", _("create and change assignments")
    SUBMIT_WORK = "submit_work", _("submit work")
    SUBMISSIONS_READ_ALL = "submissions_read_all", _("see everyone's submissions")
    GRADE = "grade", _("grade submissions")
    GRADES_RELEASE = "grades_release", _("release grades")
    GRADEBOOK_READ = "gradebook_read", _("see the gradebook")


class SchoolCap(models.TextChoices):
    """Capabilities in one school."""

    SCHOOL_REPORT = "school_report", _("see the school's reports")
    PEOPLE_MANAGE = "people_manage", _("manage the school's people and invitations")
    COURSE_CREATE = "course_create", _("create courses")


_T, _A, _S, _ADMIN = (
    CourseRole.TEACHER,
    CourseRole.ASSISTANT,
    CourseRole.STUDENT,
    CourseRole.SCHOOL_ADMIN,
)

COURSE_CAPABILITIES: dict[Cap, frozenset[CourseRole]] = {
    Cap.COURSE_VIEW: frozenset({_T, _A, _S, _ADMIN}),
    Cap.COURSE_EDIT: frozenset({_ADMIN}),
    Cap.CONTENT_READ: frozenset({_T, _A, _S, _ADMIN}),
    Cap.CONTENT_EDIT: frozenset({_T, _A}),
    Cap.ROSTER_READ: frozenset({_T, _A, _ADMIN}),
    Cap.ROSTER_MANAGE: frozenset({_T, _ADMIN}),
    # The school's administrators join as observers (no moderation, hidden from the register).
    Cap.LIVE_JOIN: frozenset({_T, _A, _S, _ADMIN}),
    Cap.LIVE_MANAGE: frozenset({_T, _A}),
    Cap.ROOM_MODERATE: frozenset({_T}),
    Cap.ATTENDANCE_READ_ALL: frozenset({_T, _A, _ADMIN}),
    Cap.ATTENDANCE_OVERRIDE: frozenset({_T, _ADMIN}),
    Cap.ATTENDANCE_CHECK: frozenset({_T, _A}),
    Cap.ATTENDANCE_COMPUTE: frozenset({_T, _A, _ADMIN}),
    Cap.ASSIGNMENT_MANAGE: frozenset({_T}),
    Cap.SUBMIT_WORK: frozenset({_S}),
    Cap.SUBMISSIONS_READ_ALL: frozenset({_T, _A, _ADMIN}),
    Cap.GRADE: frozenset({_T, _A}),
    Cap.GRADES_RELEASE: frozenset({_T}),
    Cap.GRADEBOOK_READ: frozenset({_T, _A, _ADMIN}),
}

SCHOOL_CAPABILITIES: dict[SchoolCap, frozenset[str]] = {
    SchoolCap.SCHOOL_REPORT: frozenset({SchoolRole.ADMIN}),
    SchoolCap.PEOPLE_MANAGE: frozenset({SchoolRole.ADMIN}),
    SchoolCap.COURSE_CREATE: frozenset({SchoolRole.ADMIN}),
}


def role_can(role: str | None, cap: Cap) -> bool:
    """Whether a course role holds a capability. No role (None) holds nothing."""
    if role is None:
        return False
    return role in COURSE_CAPABILITIES[Cap(cap)]


def school_role_can(roles, cap: SchoolCap) -> bool:
    """Whether any of the school roles held (an iterable of `SchoolRole` values) grants `cap`."""
    allowed = SCHOOL_CAPABILITIES[SchoolCap(cap)]
    return any(role in allowed for role in roles)


def roles_with(cap: Cap) -> frozenset[CourseRole]:
    """The course roles holding a capability, e.g. to filter querysets by role in SQL."""
    return COURSE_CAPABILITIES[Cap(cap)]


def caps_of(role: str | None) -> frozenset[Cap]:
    """Every capability of a role, e.g. for a template or a serializer's `my_caps` field."""
    if role is None:
        return frozenset()
    return frozenset(cap for cap, roles in COURSE_CAPABILITIES.items() if role in roles)
