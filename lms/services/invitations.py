"""Invitations to a school: created by staff, accepted through a single-use link."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Conflict, Gone, NotFound, ServiceError
from ..models import Invitation, Membership, Role, School, User
from ..tokens import derived_secret, hash_secret, new_secret
from ..validators import clean_line
from .accounts import _clean_email, membership_grant, user_create


@transaction.atomic
def invitation_create(
    *, school: School, email: str, role: str, invited_by: User | None, full_name: str = ""
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link once the transaction commits.

    Any address is accepted, Gmail included: the school's domains limit self sign-up only.
    Returns the invitation and its raw secret (shown to the inviter once, never stored).
    """
    from ..tasks import send_invitation_email

    email = _clean_email(email)
    if role not in Role.values:
        raise ServiceError(_("Unknown role."), field="role")
    if Membership.objects.filter(school=school, role=role, user__email__iexact=email).exists():
        raise Conflict(_("This person already has this role in the school."), field="email")
    nonce = new_secret(16)
    invitation = Invitation.objects.create(
        school=school,
        email=email,
        full_name=clean_line(full_name, field="full_name")[:150],
        role=role,
        token_hash=hash_secret(nonce),  # replaced below, once the id is known
        invited_by=invited_by,
        expires_at=timezone.now() + settings.INVITATION_TTL,
    )
    raw = invitation_secret(invitation, nonce)
    Invitation.objects.filter(pk=invitation.pk).update(
        token_hash=hash_secret(raw), token_nonce=nonce
    )
    invitation.token_hash, invitation.token_nonce = hash_secret(raw), nonce
    # Only the id goes through the broker: the task rebuilds the link from it.
    send_invitation_email.delay_on_commit(invitation.pk)
    return invitation, raw


def invitation_secret(invitation: Invitation, nonce: str | None = None) -> str:
    return derived_secret("invitation", invitation.pk, nonce or invitation.token_nonce)


def invitation_for_token(raw_token: str) -> Invitation:
    """The invitation behind a link, if it can still be used; a clear error otherwise."""
    invitation = (
        Invitation.objects.select_related("school")
        .filter(token_hash=hash_secret(raw_token or ""))
        .first()
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Ask your school for a new one."))
    if invitation.accepted_at:
        raise Gone(
            _("This invitation has already been used. Sign in with the account it created."),
            code="invitation_used",
        )
    if invitation.revoked_at:
        raise Gone(_("This invitation was withdrawn by the school."), code="invitation_revoked")
    if invitation.expires_at <= timezone.now():
        raise Gone(
            _("This invitation has expired. Ask your school to send a new one."),
            code="invitation_expired",
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    raw_token: str,
    user: User | None = None,
    full_name: str = "",
    password: str | None = None,
) -> User:
    """Accept an invitation, as the signed-in user or by creating the invited account.

    The row is locked so two simultaneous clicks cannot both use it.
    """
    invitation = invitation_for_token(raw_token)
    invitation = (
        Invitation.objects.select_for_update().select_related("school").get(pk=invitation.pk)
    )
    if invitation.accepted_at:
        raise Gone(_("This invitation has already been used."), code="invitation_used")
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise ServiceError(
                _(
                    "This invitation is for %(email)s. Sign out and open the link again, "
                    "or ask for an invitation to your own address."
                )
                % {"email": invitation.email},
                code="wrong_account",
            )
    else:
        existing = User.objects.filter(email__iexact=invitation.email).first()
        if existing is not None:
            raise Conflict(
                _("You already have an account. Sign in first, then open the link again."),
                code="sign_in_first",
            )
        if not password:
            raise ServiceError(_("Choose a password."), field="password")
        user = user_create(
            email=invitation.email,
            full_name=full_name,
            password=password,
            preferred_language=invitation.school.default_language,
            time_zone=invitation.school.time_zone,
        )
    membership_grant(user=user, school=invitation.school, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.accepted_at:
        raise Conflict(_("An accepted invitation cannot be withdrawn."))
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
