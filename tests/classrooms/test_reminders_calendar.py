import zoneinfo
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from classrooms import services
from classrooms.models import LiveSession, ReminderSent
from classrooms.services import reminders
from classrooms.tasks import every_minute, send_due_reminders
from tests.factories.classrooms import LiveSessionFactory


@pytest.fixture
def soon(enrolled):
    now = timezone.now()
    return LiveSessionFactory(
        course=enrolled,
        title="Hóa học",
        starts_at=now + timedelta(minutes=10),
        ends_at=now + timedelta(minutes=100),
    )


def test_reminders_exactly_once(soon, teacher, student):
    mail.outbox.clear()
    assert send_due_reminders.delay().get() == 2
    assert send_due_reminders() == 0  # the scheduler runs again
    every_minute()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([teacher.email, student.email])
    assert ReminderSent.objects.filter(session=soon).count() == 2
    assert "Hóa học" in mail.outbox[0].subject


def test_reminder_in_user_language_and_time_zone(soon, student, teacher):
    student.preferred_language = "vi"
    student.time_zone = "Europe/Berlin"
    student.save()
    mail.outbox.clear()
    services.live_reminders_send_due()
    message = next(m for m in mail.outbox if m.to == [student.email])
    assert "Buổi học trực tuyến" in message.subject
    assert "Europe/Berlin" in message.body
    local = timezone.localtime(soon.starts_at, timezone=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert local.strftime("%H:%M") in message.body


def test_opt_out_and_not_for_later_lessons(soon, enrolled, teacher, student):
    services.reminder_preference_set(user=student, email_enabled=False)
    LiveSessionFactory(course=enrolled, starts_at=timezone.now() + timedelta(hours=3))
    mail.outbox.clear()
    assert services.live_reminders_send_due() == 1
    assert [m.to for m in mail.outbox] == [[teacher.email]]


def test_worker_dying_mid_send_leaves_no_claim(soon, teacher, student, monkeypatch):
    calls = {"n": 0}
    real = reminders._send_reminder_mail

    def flaky(session, user):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP connection lost")
        return real(session, user)

    monkeypatch.setattr(reminders, "_send_reminder_mail", flaky)
    mail.outbox.clear()
    assert services.live_reminders_send_due() == 1  # one failed, its claim rolled back
    assert ReminderSent.objects.count() == 1
    assert services.live_reminders_send_due() == 1  # the next run sends the missing one
    assert services.live_reminders_send_due() == 0
    assert len(mail.outbox) == 2 and ReminderSent.objects.count() == 2


def test_cancelled_lessons_get_no_reminder(soon, teacher):
    services.live_session_cancel(session=soon, by=teacher)
    assert services.live_reminders_send_due() == 0


def test_calendar_feed_parses_back(client, enrolled, teacher, student, school):
    now = timezone.now()
    kept = LiveSessionFactory(course=enrolled, title="Sinh học", starts_at=now + timedelta(days=1))
    cancelled = LiveSessionFactory(course=enrolled, starts_at=now + timedelta(days=2))
    services.live_session_cancel(session=cancelled, by=teacher, reason="Lễ")
    LiveSessionFactory()  # another course: not in the feed
    feed = services.calendar_feed_get(user=student)
    response = client.get(f"/live/calendar/{feed.key}.ics")  # no login: calendars cannot
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 2
    event = next(e for e in events.values() if "Sinh học" in str(e["summary"]))
    assert event.decoded("dtstart") == kept.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") == kept.ends_at.replace(microsecond=0)
    assert f"/live/{kept.pk}/" in str(event["url"])
    assert str(next(e for e in events.values() if e is not event)["status"]) == "CANCELLED"
    assert kept.room_name not in response.content.decode()
    # Rotating revokes the old address.
    new = services.calendar_feed_rotate(user=student)
    assert client.get(f"/live/calendar/{feed.key}.ics").status_code == 404
    assert client.get(f"/live/calendar/{new.key}.ics").status_code == 200


def test_lesson_ics_for_members_only(client, open_session, student, school):
    from tests.factories.lms import member

    client.force_login(student)
    response = client.get(f"/live/{open_session.pk}/lesson.ics")
    assert response.status_code == 200
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == open_session.starts_at.replace(microsecond=0)
    client.force_login(member(school, "student"))
    assert client.get(f"/live/{open_session.pk}/lesson.ics").status_code == 404


def test_beat_schedule_registered():
    from lms.celery import app

    entry = app.conf.beat_schedule["classrooms-every-minute"]
    assert entry["task"] == "classrooms.tasks.every_minute" and entry["schedule"] == 60.0
    assert LiveSession  # noqa: B018
