"""Every write about people, schools and roles."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import hooks
from .errors import Conflict, Gone, NotFound, ServiceError
from .models import ApiToken, Invitation, Membership, PendingSignup, Role, School, User
from .tokens import derived_secret, hash_secret, new_secret
from .validators import clean_line


def _clean_email(email: str, *, field: str = "email") -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(_("Enter a valid e-mail address."), field=field) from None
    return email


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), code="weak_password", field="password") from None


@transaction.atomic
def school_create(
    *,
    name: str,
    slug: str,
    allowed_email_domains: list[str] | None = None,
    time_zone: str = settings.TIME_ZONE,
    default_language: str = "vi",
) -> School:
    if School.objects.filter(slug=slug).exists():
        raise Conflict(_("A school with this short name already exists."), field="slug")
    school = School(
        name=name,
        slug=slug,
        allowed_email_domains=[d.strip().lower() for d in allowed_email_domains or [] if d],
        time_zone=time_zone,
        default_language=default_language,
    )
    school.full_clean()
    school.save()
    hooks.run("school_created", school=school)
    return school


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    preferred_language: str = "vi",
    time_zone: str = settings.TIME_ZONE,
    validate: bool = True,
) -> User:
    email = _clean_email(email)
    full_name = clean_line(full_name, field="full_name")
    if not full_name:
        raise ServiceError(_("Enter your full name."), field="full_name")
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email,
        full_name=full_name,
        preferred_language=preferred_language,
        time_zone=time_zone,
    )
    if password is not None and validate:
        _check_password(password, user)
    user.set_password(password)
    try:
        user.save()
    except IntegrityError:
        raise Conflict(
            _("An account with this e-mail address already exists."), field="email"
        ) from None
    return user


def user_update_preferences(
    *,
    user: User,
    full_name: str | None = None,
    preferred_language: str | None = None,
    time_zone: str | None = None,
) -> User:
    if full_name is not None:
        full_name = clean_line(full_name, field="full_name")
        if not full_name:
            raise ServiceError(_("Enter your full name."), field="full_name")
        user.full_name = full_name
    if preferred_language is not None:
        if preferred_language not in dict(settings.LANGUAGES):
            raise ServiceError(_("This language is not available."), field="preferred_language")
        user.preferred_language = preferred_language
        user.language_chosen = True
    if time_zone is not None:
        try:
            User._meta.get_field("time_zone").run_validators(time_zone)
        except ValidationError as exc:
            raise ServiceError(exc.messages[0], field="time_zone") from None
        user.time_zone = time_zone
    user.save(update_fields=["full_name", "preferred_language", "language_chosen", "time_zone"])
    return user


def user_language_follow_browser(*, user: User, language: str) -> User:
    """At sign-in, an account whose owner never chose a language takes the browser's.

    E-mails and notifications then go out in the language the person actually reads; an
    explicit choice (the switcher, the account page) is never overridden.
    """
    if user.language_chosen or language not in dict(settings.LANGUAGES):
        return user
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


def membership_grant(*, user: User, school: School, role: str) -> Membership:
    if role not in Role.values:
        raise ServiceError(_("Unknown role."), field="role")
    membership, _created = Membership.objects.get_or_create(user=user, school=school, role=role)
    hooks.run("membership_granted", membership=membership)
    return membership


# --- Invitations ----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, school: School, email: str, role: str, invited_by: User | None, full_name: str = ""
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link once the transaction commits.

    Any address is accepted, Gmail included: the school's domains limit self sign-up only.
    Returns the invitation and its raw secret (shown to the inviter once, never stored).
    """
    from .tasks import send_invitation_email

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


# --- Self sign-up ---------------------------------------------------------------------------


def signup_request(*, school: School, email: str, full_name: str, password: str) -> None:
    """Check a self sign-up and e-mail a single-use confirmation link.

    Nothing but a `PendingSignup` row is created until the link is opened. The answer is the
    same whether or not the address already belongs to someone, so the form does not tell who
    is a member; that person gets an e-mail saying so instead of a link.
    """
    from .tasks import send_signup_email

    email = _clean_email(email)
    full_name = clean_line(full_name, field="full_name")
    if not full_name:
        raise ServiceError(_("Enter your full name."), field="full_name")
    if not school.accepts_email(email):
        domains = ", ".join(school.allowed_email_domains)
        if domains:
            message = _(
                "%(school)s only accepts sign-ups with an address ending in %(domains)s. "
                "Use your school e-mail address, or ask the school for an invitation."
            ) % {"school": school.name, "domains": domains}
        else:
            message = _(
                "%(school)s does not accept self sign-up. Ask the school for an invitation."
            ) % {"school": school.name}
        raise ServiceError(message, code="domain_not_allowed", field="email")
    _check_password(password, User(email=email, full_name=full_name))
    if User.objects.filter(email__iexact=email).exists():
        transaction.on_commit(lambda: send_signup_email.delay(school.pk, email, None))
        return
    from django.contrib.auth.hashers import make_password

    nonce = new_secret(16)
    pending = PendingSignup.objects.create(
        school=school,
        email=email,
        full_name=full_name,
        password=make_password(password),
        token_hash=hash_secret(nonce),  # replaced below, once the id is known
        token_nonce=nonce,
        expires_at=timezone.now() + settings.SIGNUP_LINK_TTL,
    )
    PendingSignup.objects.filter(pk=pending.pk).update(
        token_hash=hash_secret(signup_secret(pending))
    )
    # Only ids go through the broker: the task rebuilds the link from the row.
    transaction.on_commit(lambda: send_signup_email.delay(school.pk, email, pending.pk))


def signup_secret(pending: PendingSignup) -> str:
    return derived_secret("signup", pending.pk, pending.token_nonce)


@transaction.atomic
def signup_confirm(*, token: str) -> User:
    """Create the account of a pending sign-up. The link works once; it never signs in to an
    account that already exists."""
    pending = (
        PendingSignup.objects.select_for_update()
        .select_related("school")
        .filter(token_hash=hash_secret(token or ""))
        .first()
    )
    if pending is None:
        raise NotFound(_("This confirmation link is not valid."))
    if pending.used_at:
        raise Gone(
            _("This confirmation link has already been used. Sign in instead."), code="link_used"
        )
    if pending.expires_at <= timezone.now():
        raise Gone(
            _("This confirmation link has expired. Sign up again to get a new one."),
            code="link_expired",
        )
    school = pending.school
    pending.used_at = timezone.now()
    pending.save(update_fields=["used_at"])
    if not school.accepts_email(pending.email):
        raise Gone(_("This school no longer accepts this sign-up."), code="domain_not_allowed")
    if User.objects.filter(email__iexact=pending.email).exists():
        raise Conflict(
            _("An account with this e-mail address already exists. Sign in instead."),
            code="sign_in_first",
        )
    user = User(
        email=pending.email,
        full_name=pending.full_name,
        preferred_language=school.default_language,
        time_zone=school.time_zone,
    )
    user.password = pending.password
    user.save()
    membership_grant(user=user, school=school, role=Role.STUDENT)
    # Other pending sign-ups of the same address cannot be used any more.
    PendingSignup.objects.filter(email__iexact=pending.email, used_at__isnull=True).update(
        used_at=pending.used_at
    )
    return user


# --- API tokens -----------------------------------------------------------------------------


TOKEN_LIFETIMES_DAYS = (30, 90, 365)


def api_token_create(
    *, user: User, name: str, expires_in_days: int | None = 90
) -> tuple[ApiToken, str]:
    """A new token; it stops working after `expires_in_days` (None: until revoked)."""
    name = clean_line(name, field="name")
    if expires_in_days is not None and not 1 <= int(expires_in_days) <= 3650:
        raise ServiceError(_("A token lasts between 1 and 3650 days."), field="expires_in_days")
    if not name:
        raise ServiceError(
            _("Give the token a name, such as the script that will use it."), field="name"
        )
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= 20:
        raise ServiceError(_("You have 20 active tokens. Revoke one you no longer use."))
    raw = "lph_" + new_secret(30)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:10],
        key_hash=hash_secret(raw),
        expires_at=(
            timezone.now() + timedelta(days=int(expires_in_days))
            if expires_in_days is not None
            else None
        ),
    )
    return token, raw


def api_tokens_revoke_all(*, user: User) -> int:
    """When the password changes (reset included), every token goes, as sessions do."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if not token.revoked_at:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
