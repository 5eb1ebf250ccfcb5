"""Attendance: raw presence evidence, the intervals folded from it, and the marks computed.

Evidence (`PresenceEvent`) is append-only and kept even when its room or person is unknown.
Intervals are a projection of the evidence and are rebuilt from it. Marks keep what was
computed next to any override, and every change is a `MarkChange` row; nothing here is deleted
when a lesson ends or a student is dropped.
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
    session = models.ForeignKey(
        "classrooms.LiveSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presence_events",
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
    # JaaS idempotencyKey (prefixed): a replay is refused by the database, not by luck.
    dedupe_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    raw = models.JSONField(_("raw payload"), default=dict)

    class Meta:
        verbose_name = _("presence event")
        verbose_name_plural = _("presence events")
        ordering = ["occurred_at", "pk"]
        indexes = [
            models.Index(fields=["session", "user", "occurred_at"]),
            models.Index(fields=["unmatched", "received_at"]),
            models.Index(fields=["room_name"]),
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


class AttendancePolicy(models.Model):
    """A course's attendance rules. Without a row the defaults from DESIGN.md apply."""

    course = models.OneToOneField(
        "courses.Course", on_delete=models.CASCADE, related_name="attendance_policy"
    )
    on_time_minutes = models.PositiveIntegerField(
        _("on time until (minutes after the start)"), default=10
    )
    present_percent = models.PositiveIntegerField(
        _("present from (percent of the lesson)"), default=75
    )
    partial_percent = models.PositiveIntegerField(
        _("left early / partial from (percent of the lesson)"), default=25
    )
    grace_minutes = models.PositiveIntegerField(
        _("time in the room before the start that counts (minutes)"), default=15
    )
    count_client_evidence = models.BooleanField(
        _("count the live page's own reports when the video server reports nothing"),
        default=True,
    )
    random_checks = models.PositiveIntegerField(_("random presence checks per lesson"), default=0)
    check_seconds = models.PositiveIntegerField(_("seconds to answer a presence check"), default=60)
    gradebook_column = models.BooleanField(
        _("add an attendance column to the gradebook"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance policy")
        verbose_name_plural = _("attendance policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(present_percent__lte=100)
                & Q(partial_percent__lte=models.F("present_percent")),
                name="attendancepolicy_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.present_percent}%/{self.partial_percent}%"


class MarkStatus(models.TextChoices):
    PRESENT = "present", _("present")
    LATE = "late", _("late")
    LEFT_EARLY = "left_early", _("left early / partial")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused")


class Flag(models.TextChoices):
    TWO_PLACES = "two_places", _("in the room from two places at once")
    CLIENT_ONLY = "client_only", _("only the live page reported presence")
    OTHER_NAME = "other_name", _("joined under another display name")
    MISSED_CHECKS = "missed_checks", _("missed presence checks")
    NO_SERVER_EVIDENCE = "no_server_evidence", _("no video-server evidence (not counted)")


class AttendanceMark(models.Model):
    session = models.ForeignKey(
        "classrooms.LiveSession", on_delete=models.CASCADE, related_name="attendance_marks"
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="attendance_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance_marks"
    )
    status = models.CharField(_("mark"), max_length=16, choices=MarkStatus.choices)
    computed_status = models.CharField(
        _("computed mark"), max_length=16, choices=MarkStatus.choices
    )
    override_status = models.CharField(
        _("override"), max_length=16, choices=MarkStatus.choices, blank=True
    )
    override_reason = models.TextField(_("reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    attended_seconds = models.PositiveIntegerField(_("time in the room (s)"), default=0)
    scheduled_seconds = models.PositiveIntegerField(_("lesson time (s)"), default=0)
    share = models.FloatField(_("share of the lesson"), default=0)
    first_join_at = models.DateTimeField(_("first joined"), null=True, blank=True)
    last_leave_at = models.DateTimeField(_("last left"), null=True, blank=True)
    checks_asked = models.PositiveIntegerField(_("presence checks asked"), default=0)
    checks_answered = models.PositiveIntegerField(_("presence checks answered"), default=0)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    evidence_source = models.CharField(_("evidence"), max_length=16, blank=True)
    is_final = models.BooleanField(_("lesson over"), default=False)
    computed_at = models.DateTimeField(_("computed at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        ordering = ["session", "user"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendancemark_once"),
        ]
        indexes = [
            models.Index(fields=["course", "user"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.user_id} · {self.status}"

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_status)

    @property
    def share_percent(self) -> int:
        return round(self.share * 100)

    @property
    def checks_missed(self) -> int:
        return max(0, self.checks_asked - self.checks_answered)

    def flag_labels(self) -> list[str]:
        labels = dict(Flag.choices)
        return [str(labels.get(flag, flag)) for flag in self.flags]


class MarkChange(models.Model):
    """One line of a mark's history. Never edited or deleted."""

    class Action(models.TextChoices):
        COMPUTED = "computed", _("computed")
        RECOMPUTED = "recomputed", _("recomputed from late evidence")
        OVERRIDDEN = "overridden", _("changed by staff")
        DISPUTE_ACCEPTED = "dispute_accepted", _("dispute accepted")

    mark = models.ForeignKey(AttendanceMark, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=16, choices=MarkStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MarkStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mark change")
        verbose_name_plural = _("mark changes")
        ordering = ["mark", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mark_id} · {self.from_status} → {self.to_status}"


class PresenceCheck(models.Model):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("asked by the teacher")
        RANDOM = "random", _("random")

    session = models.ForeignKey(
        "classrooms.LiveSession", on_delete=models.CASCADE, related_name="presence_checks"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A random check is planned when the lesson starts and asked when it is due.
    scheduled_for = models.DateTimeField(null=True, blank=True)
    asked_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("answer until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("presence check")
        verbose_name_plural = _("presence checks")
        ordering = ["session", "created_at", "pk"]
        indexes = [models.Index(fields=["asked_at", "scheduled_for"])]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.kind} · {self.asked_at or self.scheduled_for}"


class PresencePrompt(models.Model):
    """One student asked in one check; answered_at stays empty when the prompt was missed."""

    check_run = models.ForeignKey(PresenceCheck, on_delete=models.CASCADE, related_name="prompts")
    session = models.ForeignKey(
        "classrooms.LiveSession", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presence_prompts"
    )
    deadline_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("presence prompt")
        verbose_name_plural = _("presence prompts")
        ordering = ["check_run", "user"]
        constraints = [
            models.UniqueConstraint(fields=["check_run", "user"], name="presenceprompt_once"),
        ]
        indexes = [models.Index(fields=["session", "user"])]

    def __str__(self) -> str:
        return f"{self.check_run_id} · {self.user_id}"


class Dispute(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    mark = models.ForeignKey(AttendanceMark, on_delete=models.CASCADE, related_name="disputes")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance_disputes"
    )
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    requested_status = models.CharField(
        _("the mark you ask for"), max_length=16, choices=MarkStatus.choices, blank=True
    )
    reply = models.TextField(_("reply"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance dispute")
        verbose_name_plural = _("attendance disputes")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mark"], condition=Q(status="open"), name="dispute_one_open_per_mark"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mark_id} · {self.status}"


class AttendanceRate(models.Model):
    """A student's attendance rate in a course, kept current on every mark change.

    The gradebook's participation column (when the course's policy asks for it) reads this.
    """

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="attendance_rates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance_rates"
    )
    lessons_counted = models.PositiveIntegerField(default=0)
    credited = models.FloatField(default=0)
    rate = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance rate")
        verbose_name_plural = _("attendance rates")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="attendancerate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.user_id} · {self.rate}"


class ChronicAbsence(models.Model):
    """Whether a student is under the school's attendance threshold; crossings count episodes."""

    school = models.ForeignKey("lms.School", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_below = models.BooleanField(default=False)
    crossings = models.PositiveIntegerField(default=0)
    last_rate = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "user"], name="chronicabsence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} · {self.user_id} · {self.is_below}"
