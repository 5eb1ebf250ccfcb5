from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .middleware import activate_user_preferences
from .models import ApiToken
from .tokens import hash_secret


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer lph_…` with a token the user created and has not revoked."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token.")) from None
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_secret(raw), revoked_at__isnull=True)
            .first()
        )
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired. Create a new one."))
        # Writing on every request would make each API call a write; a minute's precision is enough.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        activate_user_preferences(request, token.user)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


def login_username(request, credentials: dict | None = None) -> str:
    """The account a login attempt is about, as django-axes counts failures (lower-cased)."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return (username or "").strip().lower()


def client_ip(request) -> str | None:
    """The client's address. With PROXY_COUNT proxies in front, each appends to
    X-Forwarded-For the address it received the request from, so the client is the
    PROXY_COUNT-th entry from the right; anything to its left was sent by the client."""
    import ipaddress

    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "PROXY_COUNT", 0)
    if not count:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if not hops:
        return remote
    candidate = hops[-count] if len(hops) >= count else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
