"""Reads about courses and enrolments, narrowed to what the asker may see.

`course_role_for` is the one question every permission check in later apps asks.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from lms.models import Membership, Role

from .models import Course, Enrollment

# What course_role_for answers besides an enrolment role: a school admin observes every course
# of the school.
SCHOOL_ADMIN = "admin"


def course_role_for(user, course: Course) -> str | None:
    """'teacher', 'assistant', 'student', 'admin' (the school's administrator) or None."""
    if user is None or not user.is_authenticated:
        return None
    enrollment = (
        Enrollment.objects.filter(course=course, user=user, status=Enrollment.Status.ACTIVE)
        .values_list("role", flat=True)
        .first()
    )
    if enrollment:
        return enrollment
    if Membership.objects.filter(user=user, school_id=course.school_id, role=Role.ADMIN).exists():
        return SCHOOL_ADMIN
    return None


def is_course_staff(user, course: Course) -> bool:
    return course_role_for(user, course) in Enrollment.STAFF_ROLES


def courses_visible_to(user) -> QuerySet[Course]:
    """Courses the user is an active member of, plus every course of schools they administer."""
    if not user.is_authenticated:
        return Course.objects.none()
    member = Exists(
        Enrollment.objects.filter(course=OuterRef("pk"), user=user, status=Enrollment.Status.ACTIVE)
    )
    admin = Exists(Membership.objects.filter(school=OuterRef("school"), user=user, role=Role.ADMIN))
    return Course.objects.filter(Q(member) | Q(admin)).select_related("school")
