"""iCalendar output: a user's private feed and one lesson's "add to calendar" file."""

from collections.abc import Iterable
from datetime import datetime

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LiveSession

PRODID = "-//Lophoc//Live lessons//EN"


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "lophoc"


def event_for(session: LiveSession, *, now: datetime | None = None) -> icalendar.Event:
    now = now or timezone.now()
    event = icalendar.Event()
    event.add("uid", f"live-{session.pk}@{_host()}")
    event.add("dtstamp", now)
    event.add("last-modified", session.updated_at or now)
    event.add("sequence", int((session.updated_at or now).timestamp()) // 60 % 2_000_000_000)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{session.display_title} ({session.course.code})")
    link = settings.SITE_URL + reverse("classrooms:live", args=[session.pk])
    event.add("url", link)
    description = _("Live lesson of %(course)s. Join: %(link)s") % {
        "course": session.course.title,
        "link": link,
    }
    if session.status == LiveSession.Status.CANCELLED:
        event.add("status", "CANCELLED")
        if session.cancel_reason:
            description += "\n" + _("Cancelled: %(reason)s") % {"reason": session.cancel_reason}
    else:
        event.add("status", "CONFIRMED")
    event.add("description", description)
    event.add("location", link)
    return event


def _event_from(item: dict, now: datetime) -> icalendar.Event:
    """An event another app contributed through the `calendar_feed_events` hook."""
    event = icalendar.Event()
    event.add("uid", f"{item['uid']}@{_host()}")
    event.add("dtstamp", now)
    event.add("dtstart", item["start"])
    event.add("dtend", item.get("end") or item["start"])
    event.add("summary", item["summary"])
    for name in ("url", "description"):
        if item.get(name):
            event.add(name, item[name])
    return event


def calendar_for(
    sessions: Iterable[LiveSession], *, name: str = "", extra: Iterable[dict] = ()
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    now = timezone.now()
    for session in sessions:
        calendar.add_component(event_for(session, now=now))
    for item in extra:
        calendar.add_component(_event_from(item, now))
    return calendar.to_ical()
