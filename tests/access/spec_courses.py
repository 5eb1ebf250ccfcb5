"""Access matrix entries for courses: courses, rosters, join codes, imports and exports."""

from tests.access.matrix import (
    LOGIN,
    NOT_ALLOWED,
    OBSERVERS,
    SIGNED_IN,
    STAFF,
    Route,
    expect,
)

ADMIN = {"admin"}
ROSTER_READERS = STAFF | ADMIN
ROSTER_MANAGERS = {"teacher", "admin"}
course = lambda w: {"pk": w.course.pk}  # noqa: E731
school = lambda w: {"slug": w.school.slug}  # noqa: E731
foreign_course_filter = lambda w: [  # noqa: E731
    {"course": w.foreign_course.pk},
    {"school": w.other_school.slug},
    {"role": "admin"},
]
POST_ONLY = expect(default=NOT_ALLOWED, anonymous=LOGIN)


def read(readers, members=OBSERVERS):
    """Readers OK; the other people with a role in the course 403; everyone else 404."""
    return expect(ok=readers, forbidden=set(members) - set(readers))


def build(w):
    from courses.models import PendingEnrollment, RosterImport

    w.pending = PendingEnrollment.objects.create(
        course=w.course, email="sap-toi@example.test", role="student", invited_by=w.users["teacher"]
    )
    w.roster_import = RosterImport.objects.create(
        course=w.course, uploaded_by=w.users["teacher"], content="email,full_name,role\n"
    )


SPEC = {
    # Pages.
    "course_join": Route(GET=expect(ok=SIGNED_IN), POST=expect(ok=SIGNED_IN)),
    "course_roster": Route(kwargs=course, GET=read(ROSTER_READERS), POST=read(ROSTER_MANAGERS)),
    "course_roster_drop": Route(
        kwargs=lambda w: {"pk": w.course.pk, "enrollment_id": w.enrollment.pk},
        GET=POST_ONLY,
        POST=read(ROSTER_MANAGERS),
    ),
    "course_pending_cancel": Route(
        kwargs=lambda w: {"pk": w.course.pk, "pending_id": w.pending.pk},
        GET=POST_ONLY,
        POST=read(ROSTER_MANAGERS),
    ),
    "course_roster_import": Route(kwargs=course, GET=POST_ONLY, POST=read(ROSTER_MANAGERS)),
    "course_roster_import_apply": Route(
        kwargs=lambda w: {"pk": w.course.pk, "import_id": w.roster_import.pk},
        GET=POST_ONLY,
        POST=read(ROSTER_MANAGERS),
    ),
    "course_roster_export": Route(kwargs=course, GET=read(ROSTER_READERS)),
    "course_join_code": Route(kwargs=course, GET=POST_ONLY, POST=read(ROSTER_MANAGERS)),
    "school_courses": Route(kwargs=school, GET=expect(ok=ADMIN), filters=lambda w: [{"q": "MARK"}]),
    "school_course_create": Route(kwargs=school, GET=expect(ok=ADMIN), POST=expect(ok=ADMIN)),
    "school_course_edit": Route(
        kwargs=lambda w: {"slug": w.school.slug, "pk": w.course.pk},
        GET=expect(ok=ADMIN),
        POST=expect(ok=ADMIN),
    ),
    "school_course_archive": Route(
        kwargs=lambda w: {"slug": w.school.slug, "pk": w.course.pk},
        GET=POST_ONLY,
        POST=expect(ok=ADMIN),
    ),
    # API.
    "api-courses": Route(GET=expect(ok=SIGNED_IN), filters=foreign_course_filter),
    "api-course-join": Route(POST=expect(ok=SIGNED_IN)),
    "api-course": Route(kwargs=course, GET=read(OBSERVERS), PATCH=read(ADMIN)),
    "api-course-archive": Route(kwargs=course, POST=read(ADMIN)),
    "api-course-enrollments": Route(
        kwargs=course,
        GET=read(ROSTER_READERS),
        POST=read(ROSTER_MANAGERS),
        filters=lambda w: [{"q": "MARK"}, {"role": "student"}],
    ),
    "api-enrollment-drop": Route(
        kwargs=lambda w: {"pk": w.course.pk, "enrollment_id": w.enrollment.pk},
        POST=read(ROSTER_MANAGERS),
    ),
    "api-course-pending": Route(kwargs=course, GET=read(ROSTER_READERS)),
    "api-join-code": Route(kwargs=course, GET=read(ROSTER_MANAGERS), PATCH=read(ROSTER_MANAGERS)),
    "api-join-code-rotate": Route(kwargs=course, POST=read(ROSTER_MANAGERS)),
    "api-roster-preview": Route(kwargs=course, POST=read(ROSTER_MANAGERS)),
    "api-roster-import": Route(kwargs=course, POST=read(ROSTER_MANAGERS)),
    "api-roster-export": Route(kwargs=course, GET=read(ROSTER_READERS)),
    "api-school-courses": Route(
        kwargs=school,
        GET=expect(ok=ADMIN),
        POST=expect(ok=ADMIN),
        filters=lambda w: [{"q": "MARK"}],
    ),
}
