"""Calendar feeds and lesson reminders: how people learn about lessons outside the site."""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from lms.mail import send_templated_mail

from .. import conf, selectors
from ..models import CalendarFeed, LiveSession, ReminderPreference, ReminderSent, new_feed_key

# The name the logger had before services became a package, so logging settings still match.
logger = logging.getLogger(__package__)


def calendar_feed_get(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.key = new_feed_key()
        feed.rotated_at = timezone.now()
        feed.save(update_fields=["key", "rotated_at"])
    return feed


def calendar_feed_touch(*, feed: CalendarFeed) -> None:
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)


@transaction.atomic
def reminder_preference_set(*, user, email_enabled: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": bool(email_enabled)}
    )
    return preference


def _send_reminder_mail(session: LiveSession, user) -> None:
    from django.conf import settings
    from django.urls import reverse

    zone = selectors.user_zone(user)
    language = user.preferred_language or "en"
    with translation.override(language), timezone.override(zone):
        when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        send_templated_mail(
            template="classrooms/email/reminder",
            to=user.email,
            language=language,
            context={
                "user": user,
                "session": session,
                "course": session.course,
                "when": when,
                "time_zone": str(zone),
                "link": settings.SITE_URL + reverse("classrooms:live", args=[session.pk]),
                "settings_link": settings.SITE_URL + reverse("classrooms:calendar"),
            },
        )


def live_reminder_send(*, session: LiveSession, user) -> bool:
    """Send one reminder unless it was sent already.

    The ReminderSent row is claimed and the message sent in one transaction: a second
    scheduler run waits on the unique row and then skips; a worker that dies before the commit
    leaves no row, so the next run sends it.
    """
    try:
        with transaction.atomic():
            ReminderSent.objects.create(session=session, user=user)
            _send_reminder_mail(session, user)
    except IntegrityError:
        return False
    return True


def live_reminders_send_due(*, now: datetime | None = None) -> int:
    """Remind every member of each lesson starting within the reminder lead time."""
    now = now or timezone.now()
    lead = timedelta(minutes=conf.reminder_minutes())
    sent = 0
    for session in selectors.lessons_starting_between(now, now + lead):
        for user in selectors.reminder_recipients(session):
            try:
                if live_reminder_send(session=session, user=user):
                    sent += 1
            except OSError:
                logger.exception("Reminder for session %s to user %s failed", session.pk, user.pk)
    return sent
