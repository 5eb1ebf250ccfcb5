"""Jitsi tokens: HS256 for a self-hosted Jitsi with prosody token auth, RS256 for 8x8 JaaS.

The claims follow DESIGN.md: `room` is the bare room name, `exp` is the session's end plus a
bounded margin (never days), every `context.user` value is a string, and only the course's
teachers get `affiliation: owner`, `moderator: "true"` and the lobby bypass.
"""

from datetime import datetime, timedelta

import jwt
from django.utils import timezone

from . import conf, permissions
from .models import LiveSession

# However the session is configured, a token never lives longer than this.
MAX_TOKEN_LIFETIME = timedelta(hours=12)
CLOCK_SKEW = timedelta(seconds=60)


def _avatar(user) -> str:
    return str(getattr(user, "avatar_url", "") or "")


def token_claims(
    *,
    config: conf.JitsiConfig,
    session: LiveSession,
    user,
    role: str | None,
    now: datetime | None = None,
) -> dict:
    now = now or timezone.now()
    moderator = permissions.is_moderator(role)
    end = max(session.ends_at, now) + timedelta(minutes=conf.token_margin_minutes())
    exp = min(end, now + MAX_TOKEN_LIFETIME)
    user_claims = {
        "id": str(user.pk),
        "name": str(user.get_full_name() or user.email),
        "email": str(user.email or ""),
        "avatar": _avatar(user),
        "affiliation": "owner" if moderator else "member",
        "moderator": "true" if moderator else "false",
        "lobby_bypass": moderator,
    }
    jaas = config.mode == "jaas"
    claims = {
        "iss": "chat" if jaas else config.app_id,
        "aud": "jitsi",
        "sub": config.app_id if jaas else config.domain,
        "room": session.room_name,
        "iat": int(now.timestamp()),
        "nbf": int((now - CLOCK_SKEW).timestamp()),
        "exp": int(exp.timestamp()),
        "context": {"user": user_claims},
    }
    if jaas:
        # JaaS reads these feature flags; lessons are not recorded or streamed from the room.
        claims["context"]["features"] = {
            "livestreaming": "false",
            "recording": "false",
            "transcription": "false",
            "outbound-call": "false",
        }
    return claims


def sign(claims: dict, config: conf.JitsiConfig) -> str:
    if config.mode == "jaas":
        return jwt.encode(
            claims,
            config.private_key,
            algorithm="RS256",
            headers={"kid": config.key_id, "typ": "JWT"},
        )
    if config.mode == "selfhosted":
        return jwt.encode(claims, config.secret, algorithm="HS256", headers={"typ": "JWT"})
    raise ValueError("Jitsi tokens need JITSI_APP_ID/JITSI_APP_SECRET or the JaaS settings.")


def token_for(
    *, session: LiveSession, user, role: str | None, now: datetime | None = None
) -> str | None:
    """A signed token for this user in this session's room, or None in the public mode."""
    config = conf.jitsi()
    if not config.uses_tokens:
        return None
    return sign(token_claims(config=config, session=session, user=user, role=role, now=now), config)
