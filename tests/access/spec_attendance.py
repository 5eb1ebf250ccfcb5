"""Access matrix entries for attendance, as attendance answers today.

Started by authz so the matrix covers attendance's routes from the first day; attendance owns
it (attendance's conversion to the one table moves some HIDDEN members to FORBIDDEN).
"""

from datetime import timedelta

from django.utils import timezone

from tests.access.matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OBSERVERS,
    SIGNED_IN,
    STAFF,
    Route,
    expect,
)

ADMIN = {"admin"}
READERS = STAFF | ADMIN  # Cap.ATTENDANCE_READ_ALL
OVERRIDERS = {"teacher", "admin"}
session = lambda w: {"pk": w.session.pk}  # noqa: E731
course = lambda w: {"pk": w.course.pk}  # noqa: E731
mark = lambda w: {"pk": w.mark.pk}  # noqa: E731
school = lambda w: {"slug": w.school.slug}  # noqa: E731
# The school's own people see the school exists but may not read its report.
SCHOOL_REPORT = expect(ok=ADMIN, forbidden=(SIGNED_IN - ADMIN) - {"other_admin", "operator"})
WEBHOOK = expect(default=LOGIN, anonymous=LOGIN, revoked=LOGIN)
POST_ONLY = expect(default=NOT_ALLOWED, anonymous=LOGIN)


def build(w):
    from attendance.models import AttendanceMark, Dispute, PresenceCheck, PresencePrompt

    now = timezone.now()
    w.mark = AttendanceMark.objects.create(
        session=w.session,
        course=w.course,
        user=w.users["student"],
        status="absent",
        computed_status="absent",
        computed_at=now,
    )
    w.check_run = PresenceCheck.objects.create(
        session=w.session,
        kind="manual",
        asked_by=w.users["teacher"],
        asked_at=now,
        deadline_at=now + timedelta(minutes=1),
    )
    w.prompt = PresencePrompt.objects.create(
        check_run=w.check_run,
        session=w.session,
        user=w.users["student"],
        deadline_at=now + timedelta(minutes=1),
    )
    w.dispute = Dispute.objects.create(
        mark=w.mark, student=w.users["student"], message="Em có mặt ạ."
    )


SPEC = {
    # Jitsi's servers call these with their own credentials (bearer secret, signature).
    "api-attendance-event-sync": Route(
        kwargs=lambda w: {"entity": "occupant", "action": "joined"},
        POST=expect(default=LOGIN, anonymous=LOGIN, revoked=FORBIDDEN),  # a wrong bearer: 403
    ),
    "api-attendance-jaas": Route(POST=WEBHOOK),
    "api-attendance-presence": Route(kwargs=session, POST=expect(ok=OBSERVERS)),
    "api-attendance-roster": Route(kwargs=session, GET=expect(ok=READERS)),
    "api-attendance-check": Route(
        kwargs=session, POST=expect(ok=STAFF, forbidden={"student", "admin"})
    ),
    "api-attendance-prompt": Route(kwargs=session, GET=expect(ok=OBSERVERS)),
    "api-attendance-prompt-answer": Route(
        kwargs=lambda w: {"pk": w.prompt.pk}, POST=expect(ok={"student"})
    ),
    "api-attendance-lesson": Route(kwargs=session, GET=expect(ok=OBSERVERS)),
    "api-attendance-compute": Route(kwargs=session, POST=expect(ok=READERS, forbidden={"student"})),
    # The lesson of the world is not over: the teacher and the admin reach the 409.
    "api-attendance-register-confirm": Route(
        kwargs=session, POST=expect(ok=OVERRIDERS, forbidden={"student", "assistant"})
    ),
    "api-attendance-mark": Route(kwargs=mark, GET=expect(ok=READERS | {"student"})),
    "api-attendance-override": Route(kwargs=mark, POST=expect(ok=OBSERVERS)),
    "api-attendance-dispute-create": Route(kwargs=mark, POST=expect(ok=OBSERVERS)),
    "api-attendance-disputes": Route(GET=expect(ok=SIGNED_IN)),
    # Today these validate the body before checking the role: any member gets 400 for the
    # matrix's empty body (attendance's conversion to lms.access moves the check first).
    "api-attendance-dispute-resolve": Route(
        kwargs=lambda w: {"pk": w.dispute.pk}, POST=expect(ok=OBSERVERS)
    ),
    "api-attendance-matrix": Route(kwargs=course, GET=expect(ok=READERS)),
    "api-attendance-student": Route(
        kwargs=lambda w: {"pk": w.course.pk, "user_id": w.users["student"].pk},
        GET=expect(ok=READERS | {"student"}),
    ),
    "api-attendance-policy": Route(
        kwargs=course,
        GET=expect(ok=READERS),
        PATCH=expect(ok=OVERRIDERS, forbidden={"assistant"}),
    ),
    "api-attendance-me": Route(GET=expect(ok=SIGNED_IN)),
    "api-attendance-school": Route(kwargs=school, GET=SCHOOL_REPORT),
    "api-attendance-unmatched": Route(GET=expect(ok=SIGNED_IN)),  # each sees own school
    # Pages.
    "attendance:index": Route(GET=expect(ok=SIGNED_IN)),
    "attendance:me": Route(GET=expect(ok=SIGNED_IN)),
    # A student sees their own mark of the lesson on the same page.
    "attendance:lesson": Route(kwargs=session, GET=expect(ok=OBSERVERS), POST=expect(ok=OBSERVERS)),
    "attendance:live": Route(kwargs=session, GET=expect(ok=OBSERVERS), POST=expect(ok=OBSERVERS)),
    "attendance:roster": Route(kwargs=session, GET=expect(ok=READERS)),
    "attendance:check": Route(kwargs=session, GET=POST_ONLY, POST=expect(ok=STAFF)),
    "attendance:prompt": Route(kwargs=session, GET=expect(ok=OBSERVERS)),
    "attendance:answer": Route(
        kwargs=lambda w: {"pk": w.prompt.pk}, GET=POST_ONLY, POST=expect(ok={"student"})
    ),
    "attendance:mark": Route(
        kwargs=mark, GET=expect(ok=READERS | {"student"}), POST=expect(ok=READERS | {"student"})
    ),
    "attendance:disputes": Route(GET=expect(ok=SIGNED_IN)),
    "attendance:resolve": Route(
        kwargs=lambda w: {"pk": w.dispute.pk}, GET=POST_ONLY, POST=expect(ok=OVERRIDERS)
    ),
    "attendance:course": Route(kwargs=course, GET=expect(ok=OBSERVERS)),  # students: own page
    "attendance:policy": Route(
        kwargs=course, GET=expect(ok=OVERRIDERS), POST=expect(ok=OVERRIDERS)
    ),
    "attendance:student": Route(
        kwargs=lambda w: {"pk": w.course.pk, "user_id": w.users["student"].pk},
        GET=expect(ok=READERS | {"student"}),
    ),
    "attendance:school": Route(kwargs=school, GET=SCHOOL_REPORT),
    "attendance:unmatched": Route(GET=expect(ok=ADMIN | {"other_admin"})),  # own school's
}
