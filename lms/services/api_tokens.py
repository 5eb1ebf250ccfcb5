"""Personal API tokens: only a hash is stored, the raw key is shown once."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ServiceError
from ..models import ApiToken, User
from ..tokens import hash_secret, new_secret
from ..validators import clean_line

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
