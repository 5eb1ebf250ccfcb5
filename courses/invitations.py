"""What an invitation e-mail says about the courses waiting for the person (a hook of lms)."""

from collections import defaultdict

from lms.collation import sorted_by_name

from .models import Enrollment, PendingEnrollment


def invitation_courses(invitation) -> list[dict]:
    """The courses a roster import promised this address in the invitation's school, each
    with its teachers' names and the role the person will have there (two queries)."""
    pending = list(
        PendingEnrollment.objects.filter(
            course__school_id=invitation.school_id,
            email__iexact=invitation.email,
            fulfilled_at__isnull=True,
        )
        .select_related("course")
        .order_by("course__code", "pk")
    )
    if not pending:
        return []
    teachers: dict[int, list] = defaultdict(list)
    for enrollment in Enrollment.objects.filter(
        course_id__in=[p.course_id for p in pending],
        role=Enrollment.Role.TEACHER,
        status=Enrollment.Status.ACTIVE,
    ).select_related("user"):
        teachers[enrollment.course_id].append(enrollment.user)
    return [
        {
            "code": p.course.code,
            "title": p.course.title,
            "role": p.get_role_display(),
            "teachers": ", ".join(
                u.full_name for u in sorted_by_name(teachers[p.course_id]) if u.full_name
            ),
        }
        for p in pending
    ]
