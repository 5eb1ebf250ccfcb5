"""Attendance test data: lessons in the past or running, and payloads as the senders build them.

The payload builders follow the documented formats: jitsi-contrib event_sync
(mod_event_sync_component.lua: integer seconds, occupant.id = the token's context.user.id,
an empty all_occupants as {}) and JaaS webhooks (timestamp in ms, fqn "appid/room", data.*).
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta

from django.utils import timezone

from courses.models import Enrollment
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory

EVENT_SYNC_TOKEN = "event-sync-test-token-0123456789"
JAAS_SECRET = "whsec_test_secret_0123456789abcdef"
JAAS_APP = "vpaas-magic-cookie-0123456789abcdef"
PREFIX = "/api/v1/attendance/hooks/event-sync/events"


def lesson(course=None, *, minutes_ago: int = 120, length: int = 60, **fields):
    """A lesson that started `minutes_ago` minutes ago and lasts `length` minutes."""
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=minutes_ago)
    return LiveSessionFactory(
        course=course or CourseFactory(),
        starts_at=start,
        ends_at=start + timedelta(minutes=length),
        **fields,
    )


def course_with(school, teacher=None, students=()):
    course = CourseFactory(school=school)
    if teacher is not None:
        EnrollmentFactory(course=course, user=teacher, role=Enrollment.Role.TEACHER)
    for student in students:
        EnrollmentFactory(course=course, user=student, role=Enrollment.Role.STUDENT)
    return course


def seconds(value) -> int:
    return int(value.timestamp())


def room_jid(session) -> str:
    return f"{session.room_name}@conference.meet.school.example"


def occupant(user, *, resource: str = "abcd1234", name=None, session=None, **extra) -> dict:
    data = {
        "id": str(user.pk),
        "name": name if name is not None else user.full_name,
        "email": user.email,
        "occupant_jid": f"{room_jid(session) if session else 'room'}/{resource}",
    }
    data.update(extra)
    return data


def es_room_created(session, at) -> dict:
    return {
        "event_name": "muc-room-created",
        "room_name": session.room_name,
        "room_jid": room_jid(session),
        "is_breakout": False,
        "created_at": seconds(at),
    }


def es_room_destroyed(session, at, occupants=None) -> dict:
    return {
        "event_name": "muc-room-destroyed",
        "room_name": session.room_name,
        "room_jid": room_jid(session),
        "is_breakout": False,
        "created_at": seconds(at) - 3600,
        "destroyed_at": seconds(at),
        "all_occupants": occupants if occupants else {},
    }


def es_joined(session, user, at, **kw) -> dict:
    occ = occupant(user, session=session, **kw)
    occ["joined_at"] = seconds(at)
    return {
        "event_name": "muc-occupant-joined",
        "room_name": session.room_name,
        "room_jid": room_jid(session),
        "is_breakout": False,
        "occupant": occ,
    }


def es_left(session, user, at, joined=None, **kw) -> dict:
    occ = occupant(user, session=session, **kw)
    occ["left_at"] = seconds(at)
    if joined is not None:
        occ["joined_at"] = seconds(joined)
    return {
        "event_name": "muc-occupant-left",
        "room_name": session.room_name,
        "room_jid": room_jid(session),
        "is_breakout": False,
        "occupant": occ,
    }


def es_post(client, path: str, payload, token: str = EVENT_SYNC_TOKEN):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    headers = {"authorization": f"Bearer {token}"} if token else {}
    with folding():
        return client.post(
            f"{PREFIX}/{path}", body, content_type="application/json", headers=headers
        )


def jaas_event(event_type: str, session_or_room, at, *, user=None, key=None, **data) -> dict:
    room = getattr(session_or_room, "room_name", session_or_room)
    payload = {
        "idempotencyKey": key or str(uuid.uuid4()),
        "customerId": "0123456789abcdef",
        "appId": JAAS_APP,
        "eventType": event_type,
        "sessionId": str(uuid.uuid4()),
        "timestamp": int(at.timestamp() * 1000),
        "fqn": f"{JAAS_APP}/{room}",
        "data": {},
    }
    if event_type.startswith("PARTICIPANT"):
        payload["data"] = {
            "moderator": False,
            "name": user.full_name if user else "Guest",
            "email": user.email if user else "",
            "id": str(user.pk) if user else "",
            "participantJid": f"{room}@conference.{JAAS_APP}.8x8.vc/{uuid.uuid4().hex[:8]}",
            "participantId": uuid.uuid4().hex[:8],
            **data,
        }
    else:
        payload["data"] = {"conference": f"{room}@conference.{JAAS_APP}.8x8.vc", **data}
    return payload


def jaas_sign(body: bytes, secret: str = JAAS_SECRET, t: int | None = None) -> str:
    t = int(time.time()) if t is None else t
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).digest()
    return f"t={t},v1={base64.b64encode(digest).decode()}"


def jaas_post(client, payload, *, secret: str = JAAS_SECRET, t=None, body=None, header=None):
    raw = body if body is not None else json.dumps(payload).encode()
    signature = header if header is not None else jaas_sign(raw, secret, t)
    headers = {"x-jaas-signature": signature} if signature else {}
    with folding():
        return client.post(
            "/api/v1/attendance/hooks/jaas", raw, content_type="application/json", headers=headers
        )


def folding():
    """Run what the recorded events schedule on commit (their fold tasks, eager in tests) at
    the end of the block, as a webhook request's commit would."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
