"""Presence from the video server: the jitsi-contrib `event_sync` module and JaaS webhooks.

Both are plain Django views (no session, no CSRF: the sender authenticates with a bearer token
or a signature). A sender retries on 5xx, so nothing in its payload may cause one: bad input is
a 400, bad credentials 401/403, and unknown rooms or people are stored as unmatched evidence.
"""

import base64
import hashlib
import hmac
import json
import logging
import math
import time
from datetime import UTC, datetime

from django.db import DataError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import conf, services
from .models import PresenceEvent, Source

log = logging.getLogger(__name__)
Kind = PresenceEvent.Kind

# Plausible event times: anything else is the sender's clock or a bug, and is refused.
EARLIEST = datetime(2015, 1, 1, tzinfo=UTC).timestamp()
LATEST_AHEAD = 24 * 3600


class BadPayload(ValueError):
    pass


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "fields": {}}, status=status)


def _clean(value):
    """PostgreSQL stores no NUL character in text or jsonb: drop them rather than fail."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def _parse_json(body: bytes) -> dict:
    try:
        data = _clean(json.loads(body.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadPayload("The body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise BadPayload("The body must be a JSON object.")
    return data


def _when(value, *, milliseconds: bool = False) -> datetime:
    """An integer timestamp from the sender; missing means "now" (the time we received it)."""
    if value is None or value == "":
        return timezone.now()
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadPayload("A timestamp must be a number.")
    try:
        seconds = float(value)
    except ValueError as exc:
        raise BadPayload("A timestamp must be a number.") from exc
    if milliseconds:
        seconds /= 1000.0
    if not EARLIEST <= seconds <= time.time() + LATEST_AHEAD:
        raise BadPayload("The timestamp is out of range.")
    return datetime.fromtimestamp(seconds, tz=UTC)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    raise BadPayload("Expected a string.")


def _obj(value) -> dict:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise BadPayload("Expected an object.")


def _occupants(value) -> list[dict]:
    # Lua's JSON encoder sends an empty table as {}: an empty list of occupants.
    if value in (None, {}):
        return []
    if isinstance(value, list):
        return [o for o in value if isinstance(o, dict)]
    if isinstance(value, dict):
        return [o for o in value.values() if isinstance(o, dict)]
    raise BadPayload("all_occupants must be a list.")


# --- event_sync ----------------------------------------------------------------------------------

EVENT_SYNC_ROUTES = {
    ("room", "created"): (Kind.ROOM_CREATED, "created_at"),
    ("room", "destroyed"): (Kind.ROOM_DESTROYED, "destroyed_at"),
    ("occupant", "joined"): (Kind.JOINED, "joined_at"),
    ("occupant", "left"): (Kind.LEFT, "left_at"),
}


def _bearer_ok(request) -> bool:
    expected = conf.event_sync_token()
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


def _record_occupant(payload, occupant, kind, at_field, room_name, raw) -> PresenceEvent | None:
    when = occupant.get(at_field, payload.get(at_field))
    return services.event_record(
        source=Source.EVENT_SYNC,
        kind=kind,
        occurred_at=_when(when),
        room_name=room_name,
        occupant_id=_text(occupant.get("id")),
        connection_id=_text(occupant.get("occupant_jid")),
        display_name=_text(occupant.get("name")),
        raw=raw,
    )


def event_sync_ingest(entity: str, action: str, payload: dict) -> list[PresenceEvent]:
    kind, at_field = EVENT_SYNC_ROUTES[(entity, action)]
    room_name = _text(payload.get("room_name")) or _text(payload.get("room_jid"))
    if not room_name:
        raise BadPayload("room_name is missing.")
    stored = []
    if entity == "occupant":
        occupant = _obj(payload.get("occupant"))
        stored.append(_record_occupant(payload, occupant, kind, at_field, room_name, payload))
        return stored
    stored.append(
        services.event_record(
            source=Source.EVENT_SYNC,
            kind=kind,
            occurred_at=_when(payload.get(at_field)),
            room_name=room_name,
            raw=payload,
        )
    )
    if kind == Kind.ROOM_DESTROYED:
        # The module lists everyone who was in the room with their times: evidence of its own,
        # which restores any joined/left call that was lost (duplicates fold away).
        for occupant in _occupants(payload.get("all_occupants")):
            for occupant_kind, field in ((Kind.JOINED, "joined_at"), (Kind.LEFT, "left_at")):
                if occupant.get(field) not in (None, ""):
                    raw = {"from": "room_destroyed.all_occupants", "occupant": occupant}
                    stored.append(
                        _record_occupant({}, occupant, occupant_kind, field, room_name, raw)
                    )
    return stored


@csrf_exempt
@require_POST
def event_sync_view(request, entity: str, action: str):
    if (entity, action) not in EVENT_SYNC_ROUTES:
        return _error(404, "not_found", "Unknown event.")
    if not request.headers.get("Authorization"):
        return _error(401, "not_authenticated", "A bearer token is required.")
    if not _bearer_ok(request):
        return _error(403, "forbidden", "The bearer token is not valid.")
    try:
        payload = _parse_json(request.body)
        stored = event_sync_ingest(entity, action, payload)
    except BadPayload as exc:
        return _error(400, "invalid", str(exc))
    except DataError:
        return _error(400, "invalid", "A value is out of range.")
    first = stored[0] if stored else None
    return JsonResponse(
        {
            "stored": len([e for e in stored if e is not None]),
            "matched": bool(first and not first.unmatched),
        }
    )


# --- JaaS ----------------------------------------------------------------------------------------

JAAS_KINDS = {
    "PARTICIPANT_JOINED": Kind.JOINED,
    "PARTICIPANT_LEFT": Kind.LEFT,
    "ROOM_CREATED": Kind.ROOM_CREATED,
    "ROOM_DESTROYED": Kind.ROOM_DESTROYED,
}


def jaas_signature(secret: str, timestamp: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, "<t>.<raw body>")), the secret as given (whsec_ included)."""
    message = timestamp.encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def parse_signature_header(header: str) -> tuple[str, list[str]]:
    timestamp, signatures = "", []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamp = value.strip()
        elif key == "v1" and value:
            signatures.append(value.strip())
    return timestamp, signatures


def jaas_verify(header: str, body: bytes, *, now: float | None = None) -> str | None:
    """None when the signature is good and fresh; else the reason it is refused."""
    secret = conf.jaas_webhook_secret()
    if not secret:
        return "not_configured"
    timestamp, signatures = parse_signature_header(header)
    if not timestamp or not signatures:
        return "malformed"
    try:
        sent = float(timestamp)
    except ValueError:
        return "malformed"
    if not math.isfinite(sent):  # "nan" and "inf" parse as floats and compare as never stale
        return "malformed"
    if sent > 1e11:  # milliseconds
        sent /= 1000.0
    now = time.time() if now is None else now
    if abs(now - sent) > conf.jaas_tolerance_seconds():
        return "stale"
    expected = jaas_signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected.encode(), s.encode()) for s in signatures):
        return "bad_signature"
    return None


def jaas_ingest(payload: dict) -> PresenceEvent | None | bool:
    """Store one JaaS event. False: an event type attendance does not use; None: a replay."""
    kind = JAAS_KINDS.get(_text(payload.get("eventType")))
    if kind is None:
        return False
    key = _text(payload.get("idempotencyKey"))
    if not key:
        raise BadPayload("idempotencyKey is missing.")
    fqn = _text(payload.get("fqn"))
    data = _obj(payload.get("data"))
    if not fqn:
        fqn = _text(data.get("conference"))
    if not fqn:
        raise BadPayload("fqn is missing.")
    occupant = kind in (Kind.JOINED, Kind.LEFT)
    return services.event_record(
        source=Source.JAAS,
        kind=kind,
        occurred_at=_when(payload.get("timestamp"), milliseconds=True),
        room_name=fqn,
        occupant_id=_text(data.get("id")) if occupant else "",
        connection_id=(
            _text(data.get("participantId") or data.get("participantJid") or data.get("id"))
            if occupant
            else ""
        ),
        display_name=_text(data.get("name")) if occupant else "",
        raw=payload,
        dedupe_key=f"jaas:{key}"[:255],
    )


@csrf_exempt
@require_POST
def jaas_view(request):
    header = request.headers.get("X-Jaas-Signature", "")
    if not header:
        return _error(401, "not_authenticated", "The X-Jaas-Signature header is required.")
    body = request.body
    refused = jaas_verify(header, body)
    if refused == "not_configured":
        return _error(401, "not_configured", "JaaS webhooks are not configured.")
    if refused:
        return _error(403, refused, "The signature is not valid or too old.")
    try:
        payload = _parse_json(body)
        event = jaas_ingest(payload)
    except BadPayload as exc:
        return _error(400, "invalid", str(exc))
    except DataError:
        return _error(400, "invalid", "A value is out of range.")
    if event is None:
        # A delivery JaaS retries (its first answer was lost) is normal: acknowledge it, so the
        # sender stops, and store nothing. A copied request with an old signature is refused
        # above as stale.
        return JsonResponse({"stored": 0, "duplicate": True})
    if event is False:
        return JsonResponse({"stored": 0, "ignored": True})
    return JsonResponse({"stored": 1, "matched": not event.unmatched})
