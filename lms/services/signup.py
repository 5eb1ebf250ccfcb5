"""Self sign-up: nothing but a pending row until the e-mailed link is opened."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Conflict, Gone, NotFound, ServiceError
from ..models import PendingSignup, Role, School, User
from ..tokens import derived_secret, hash_secret, new_secret
from ..validators import clean_line
from .accounts import _check_password, _clean_email, membership_grant


def signup_request(*, school: School, email: str, full_name: str, password: str) -> None:
    """Check a self sign-up and e-mail a single-use confirmation link.

    Nothing but a `PendingSignup` row is created until the link is opened. The answer is the
    same whether or not the address already belongs to someone, so the form does not tell who
    is a member; that person gets an e-mail saying so instead of a link.
    """
    from ..tasks import send_signup_email

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
