"""Access matrix entries for the People pages and API (lms/views/people.py, lms/api/people.py).

Only the school's administrators manage its people; for everyone else the school's people
and invitations do not exist (404), and the pages ask strangers to sign in first.
"""

from tests.access.matrix import LOGIN, NOT_ALLOWED, Route, expect

ADMIN = {"admin"}
POST_ONLY = expect(default=NOT_ALLOWED, anonymous=LOGIN)


def build(w):
    from datetime import timedelta

    from django.utils import timezone

    from lms.models import Invitation
    from lms.tokens import hash_secret

    w.people_invitation = Invitation.objects.create(
        school=w.school,
        email="moi-people@example.test",
        full_name="Người Được Mời",
        role="student",
        token_hash=hash_secret("matrix-people-invitation"),
        invited_by=w.users["admin"],
        expires_at=timezone.now() + timedelta(days=3),
    )


school = lambda w: {"slug": w.school.slug}  # noqa: E731
person = lambda w: {"slug": w.school.slug, "user_id": w.users["student"].pk}  # noqa: E731
api_person = lambda w: {"slug": w.school.slug, "pk": w.users["student"].pk}  # noqa: E731
invitation = lambda w: {"slug": w.school.slug, "pk": w.people_invitation.pk}  # noqa: E731

SPEC = {
    "school_invite_many": Route(kwargs=school, GET=expect(ok=ADMIN), POST=expect(ok=ADMIN)),
    "school_person_roles": Route(kwargs=person, GET=POST_ONLY, POST=expect(ok=ADMIN)),
    "school_person_active": Route(kwargs=person, GET=POST_ONLY, POST=expect(ok=ADMIN)),
    "invitation_resend": Route(kwargs=invitation, GET=POST_ONLY, POST=expect(ok=ADMIN)),
    "api-school-user": Route(kwargs=api_person, GET=expect(ok=ADMIN), PATCH=expect(ok=ADMIN)),
    "api-invitation-resend": Route(kwargs=invitation, POST=expect(ok=ADMIN)),
    "api-invitation-batch": Route(kwargs=school, POST=expect(ok=ADMIN)),
}
