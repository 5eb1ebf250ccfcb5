"""Presence checks asked during a lesson, the prompts each student got, and disputes of a mark."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .marks import AttendanceMark, MarkStatus


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
