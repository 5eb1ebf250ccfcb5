"""Raw presence evidence (append-only, kept even when its room or person is unknown) and the
intervals folded from it, which are a projection rebuilt from the evidence.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    EVENT_SYNC = "event_sync", _("Jitsi server (event_sync)")
    JAAS = "jaas", _("JaaS webhook")
    CLIENT = "client", _("live page (client-reported)")


SERVER_SOURCES = (Source.EVENT_SYNC, Source.JAAS)


class PresenceEvent(models.Model):
    class Kind(models.TextChoices):
        ROOM_CREATED = "room_created", _("room created")
        ROOM_DESTROYED = "room_destroyed", _("room destroyed")
        JOINED = "joined", _("joined")
        LEFT = "left", _("left")
        HEARTBEAT = "heartbeat", _("still in the room")

    class Unmatched(models.TextChoices):
        NONE = "", _("matched")
        ROOM = "unknown_room", _("unknown room")
        USER = "unknown_user", _("unknown person")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    room_name = models.CharField(_("room name"), max_length=255, blank=True)
    # SET_NULL: deleting a (future, never started) session must never be blocked by evidence.
    # No index of its own: the (session, user, occurred_at) index serves every lookup by lesson,
    # and each index is paid on every event stored.
    session = models.ForeignKey(
        "classrooms.LiveSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presence_events",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presence_events",
    )
    occupant_id = models.CharField(_("occupant id"), max_length=255, blank=True)
    connection = models.CharField(_("connection"), max_length=255, blank=True)
    display_name = models.CharField(_("display name"), max_length=255, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    unmatched = models.CharField(
        _("unmatched"), max_length=16, choices=Unmatched.choices, blank=True, default=""
    )
    # JaaS idempotencyKey (prefixed): a replay is refused by the database, not by luck. Unique
    # where present (a partial index: the video server's events carry none and cost it nothing).
    dedupe_key = models.CharField(max_length=255, null=True, blank=True)
    raw = models.JSONField(_("raw payload"), default=dict)
    # Ingestion only records; a fold task turns the evidence into intervals and sets this. What
    # stays False past a short while is folded by the periodic sweep (a worker died mid-task).
    folded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("presence event")
        verbose_name_plural = _("presence events")
        ordering = ["occurred_at", "pk"]
        # Every event stored pays for each index: the partial ones hold only the rows their
        # readers look for (unfolded, unmatched, deduplicated), a small share of the evidence.
        indexes = [
            models.Index(fields=["session", "user", "occurred_at"]),
            models.Index(
                fields=["-received_at"],
                condition=~Q(unmatched=""),
                name="presenceevent_unmatched",
            ),
            models.Index(
                fields=["received_at"],
                condition=Q(folded=False),
                name="presenceevent_unfolded",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="presenceevent_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.kind} · {self.room_name} · {self.occupant_id}"


class PresenceInterval(models.Model):
    """One stretch of time a user was in a session's room (merged over connections)."""

    session = models.ForeignKey(
        "classrooms.LiveSession", on_delete=models.CASCADE, related_name="presence_intervals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presence_intervals"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"))
    # No "left" yet: the end is provisional (the last evidence, or now).
    is_open = models.BooleanField(default=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    connections = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("presence interval")
        verbose_name_plural = _("presence intervals")
        ordering = ["session", "user", "started_at"]
        indexes = [models.Index(fields=["session", "user"])]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.user_id} · {self.started_at:%H:%M}–{self.ended_at:%H:%M}"

    @property
    def seconds(self) -> int:
        return int((self.ended_at - self.started_at).total_seconds())


class FoldProgress(models.Model):
    """How far one person's evidence in one lesson has been folded (`folding.Progress` as
    JSON), so the next fold reads only the evidence that arrived since. Written with the
    intervals, in the same transaction; dropped and rebuilt from all the evidence whenever it
    cannot be continued exactly."""

    session = models.ForeignKey(
        "classrooms.LiveSession",
        on_delete=models.CASCADE,
        related_name="fold_progress",
        db_index=False,  # the (session, user) constraint's index serves it
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fold_progress"
    )
    state = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="foldprogress_person")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.user_id}"
