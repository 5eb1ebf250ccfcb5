"""Live lessons: a recurring series per course and its occurrences as real rows.

Every occurrence (`LiveSession`) is a row of its own, so it can carry its own Jitsi room,
attendance and changes (cancelled, moved). Times are stored in UTC; the series keeps the wall
clock (start time, weekdays, time zone) it was made from, so occurrences are generated in local
time and stay right across daylight-saving switches.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.models import validate_time_zone

ROOM_PREFIX = "lophoc-"
# 20 random bytes = 160 bits: unguessable, and never reused across courses or occurrences.
ROOM_RANDOM_BYTES = 20


def new_room_name() -> str:
    return ROOM_PREFIX + secrets.token_hex(ROOM_RANDOM_BYTES)


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class LiveSeries(models.Model):
    """A recurring schedule, e.g. Monday and Wednesday 18:00-20:00 until the end of term."""

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="live_series"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    # Python weekday numbers (Monday = 0), sorted and unique.
    weekdays = models.JSONField(_("days of the week"), default=list)
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("live lesson series")
        verbose_name_plural = _("live lesson series")
        ordering = ["course", "first_date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="liveseries_positive_duration"
            ),
            models.CheckConstraint(
                condition=Q(last_date__gte=F("first_date")), name="liveseries_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.course.code} · {self.start_time:%H:%M}"


class LiveSession(models.Model):
    """One live lesson: an occurrence of a series, or a one-off session (series is null)."""

    class Status(models.TextChoices):
        # Contexts keep these short words apart from Wagtail's ("live" is a published page there).
        SCHEDULED = "scheduled", pgettext_lazy("lesson status", "scheduled")
        LIVE = "live", pgettext_lazy("lesson status", "live")
        ENDED = "ended", pgettext_lazy("lesson status", "ended")
        CANCELLED = "cancelled", pgettext_lazy("lesson status", "cancelled")

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="live_sessions"
    )
    series = models.ForeignKey(
        LiveSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    # The local date in the series this occurrence stands for (kept when the session is moved),
    # so regenerating a series never creates a second row for the same day.
    series_date = models.DateField(null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    room_name = models.CharField(
        _("room name"), max_length=64, unique=True, default=new_room_name, editable=False
    )
    # What actually happened (the schedule above is what was planned).
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Moved: the planned start before the (first) move. A moved session no longer follows its
    # series when the series is edited.
    original_starts_at = models.DateTimeField(_("originally planned for"), null=True, blank=True)
    moved_at = models.DateTimeField(_("moved at"), null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("live lesson")
        verbose_name_plural = _("live lessons")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="livesession_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "series_date"],
                condition=Q(series__isnull=False),
                name="livesession_one_per_series_date",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.series_id and self.series.title:
            return self.series.title
        return self.course.title

    @property
    def is_moved(self) -> bool:
        return self.original_starts_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class CalendarFeed(models.Model):
    """A user's private iCalendar feed. The key is the secret in the URL; rotating revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=64, unique=True, default=new_feed_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} · {self.key[:6]}…"


class ReminderPreference(models.Model):
    """A user's choice about lesson reminders. No row means reminders are on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    email_enabled = models.BooleanField(_("e-mail me before each live lesson"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return f"{self.user} · {'on' if self.email_enabled else 'off'}"


class ReminderSent(models.Model):
    """Claimed before a reminder is sent, in the same transaction: one per user per session."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="remindersent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} → {self.user_id}"
