"""Access matrix entries for lms: accounts, schools, people, tokens, health and the API docs."""

from tests.access.matrix import (
    EVERYONE,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    PUBLIC,
    SIGNED_IN,
    Route,
    expect,
)

ADMIN = {"admin"}
school = lambda w: {"slug": w.school.slug}  # noqa: E731
SIGNED_IN_OK = expect(ok=SIGNED_IN)
NOBODY = expect(default=HIDDEN, anonymous=HIDDEN)
junk_token = lambda w: {"token": "not-a-token"}  # noqa: E731
PUBLIC_API = expect(ok=EVERYONE - {"revoked_token"}, anonymous=OK)


def build(w):
    from datetime import timedelta

    from django.utils import timezone

    from lms.models import Invitation
    from lms.tokens import hash_secret

    w.invitation = Invitation.objects.create(
        school=w.school,
        email="moi@example.test",
        role="student",
        token_hash=hash_secret("matrix-invitation"),
        invited_by=w.users["admin"],
        expires_at=timezone.now() + timedelta(days=3),
    )


SPEC = {
    "healthz": Route(GET=PUBLIC),
    "home": Route(GET=PUBLIC),
    "dashboard": Route(GET=SIGNED_IN_OK),
    "login": Route(GET=PUBLIC, POST=PUBLIC, PUT=PUBLIC),
    "logout": Route(GET=expect(default=NOT_ALLOWED, anonymous=NOT_ALLOWED), POST=PUBLIC),
    "password_reset": Route(GET=PUBLIC, POST=PUBLIC, PUT=PUBLIC),
    "password_reset_done": Route(GET=PUBLIC),
    "password_reset_confirm": Route(
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
        GET=PUBLIC,
        POST=PUBLIC,
        PUT=PUBLIC,
    ),
    "password_reset_complete": Route(GET=PUBLIC),
    "account": Route(GET=SIGNED_IN_OK, POST=SIGNED_IN_OK),
    "tokens": Route(GET=SIGNED_IN_OK, POST=SIGNED_IN_OK),
    "token_revoke": Route(
        kwargs=lambda w: {"pk": w.token.pk},
        GET=expect(default=NOT_ALLOWED, anonymous=LOGIN),
        POST=expect(ok={"teacher"}),  # only the token's owner
    ),
    "language_switch": Route(GET=expect(default=NOT_ALLOWED, anonymous=NOT_ALLOWED), POST=PUBLIC),
    "set_language": Route(GET=PUBLIC, POST=PUBLIC),
    "signup": Route(kwargs=school, GET=PUBLIC, POST=PUBLIC),
    # A link with an unknown secret does not exist, whoever opens it.
    "signup_confirm": Route(kwargs=junk_token, GET=NOBODY, POST=NOBODY),
    "invitation_accept": Route(kwargs=junk_token, GET=NOBODY, POST=NOBODY),
    "school_people": Route(
        kwargs=school,
        GET=expect(ok=ADMIN),
        POST=expect(ok=ADMIN),
        filters=lambda w: [{"role": "admin"}, {"q": "MARK"}],
    ),
    "invitation_revoke": Route(
        kwargs=lambda w: {"slug": w.school.slug, "pk": w.invitation.pk},
        GET=expect(default=NOT_ALLOWED, anonymous=LOGIN),
        POST=expect(ok=ADMIN),
    ),
    # The API.
    "api-schema": Route(GET=PUBLIC),
    "api-docs": Route(GET=PUBLIC),
    "api-me": Route(GET=SIGNED_IN_OK, PATCH=SIGNED_IN_OK),
    "api-school-users": Route(
        kwargs=school,
        GET=expect(ok=ADMIN),
        filters=lambda w: [{"role": "admin"}, {"role": "teacher"}, {"q": "MARK"}],
    ),
    "api-invitations": Route(kwargs=school, GET=expect(ok=ADMIN), POST=expect(ok=ADMIN)),
    "api-invitation-revoke": Route(
        kwargs=lambda w: {"slug": w.school.slug, "pk": w.invitation.pk}, POST=expect(ok=ADMIN)
    ),
    "api-invitation-accept": Route(
        kwargs=junk_token, POST=expect(default=HIDDEN, anonymous=HIDDEN)
    ),
    "api-tokens": Route(GET=SIGNED_IN_OK, POST=SIGNED_IN_OK),
    "api-token-revoke": Route(kwargs=lambda w: {"pk": w.token.pk}, DELETE=expect(ok={"teacher"})),
    "notifications": Route(GET=SIGNED_IN_OK, POST=SIGNED_IN_OK),
    "api-notifications": Route(GET=SIGNED_IN_OK),
    "api-notifications-read": Route(POST=SIGNED_IN_OK),
    # DEBUG only: Wagtail's image renditions (documents go through their own access check).
    "media-images": Route(
        conditional=True,
        url=lambda w: "/media/images/none.png",
        GET=expect(default=HIDDEN, anonymous=HIDDEN),
    ),
}
