"""Marks keep what was computed next to any override; every change is a `MarkChange` row."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    WITHOUT_VIDEO = "without_video", _("here without video (the room did not load for them)")


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


class LessonRegister(models.Model):
    """A lesson's register once its final marks exist: when it was confirmed, and whether the
    absence alerts went out. Alerts wait for the confirmation or the review period."""

    session = models.OneToOneField(
        "classrooms.LiveSession", on_delete=models.CASCADE, related_name="attendance_register"
    )
    final_at = models.DateTimeField(_("marks final at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alerts_sent_at = models.DateTimeField(_("alerts sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson register")
        verbose_name_plural = _("lesson registers")
        indexes = [
            models.Index(
                fields=["final_at"],
                condition=Q(alerts_sent_at__isnull=True),
                name="register_alerts_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.confirmed_at or self.final_at}"


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
