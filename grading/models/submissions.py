from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Submission(models.Model):
    """One attempt of one student at one assignment.

    A student has at most one draft per assignment (the work in progress, saved as they type);
    submitting turns the draft into a numbered attempt, which is never changed afterwards.
    """

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("submission state", "draft")
        SUBMITTED = "submitted", pgettext_lazy("submission state", "submitted")

    assignment = models.ForeignKey(
        "grading.Assignment", on_delete=models.CASCADE, related_name="submissions"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    # Set when submitted: 1, 2, ... per student and assignment.
    attempt = models.PositiveSmallIntegerField(_("attempt"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    state = models.CharField(
        pgettext_lazy("submission", "state"),
        max_length=16,
        choices=State.choices,
        default=State.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The deadline that applied (the student's extension when there is one).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    seconds_late = models.PositiveIntegerField(_("seconds late"), default=0)
    penalty_percent = models.DecimalField(
        _("late penalty (percent)"), max_digits=5, decimal_places=2, default=0
    )
    # Chosen by the client once per "submit" intent: a retry or a second tab sends the same key
    # and gets the same attempt back.
    client_key = models.CharField(_("client key"), max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["assignment", "student", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"],
                condition=Q(state="draft"),
                name="submission_one_draft",
            ),
            models.UniqueConstraint(
                fields=["assignment", "student", "attempt"],
                condition=Q(state="submitted"),
                name="submission_attempt_unique",
            ),
            models.UniqueConstraint(
                fields=["assignment", "student", "client_key"],
                condition=Q(client_key__isnull=False),
                name="submission_client_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(attempt__isnull=False, submitted_at__isnull=False),
                name="submission_submitted_has_attempt",
            ),
        ]
        indexes = [models.Index(fields=["assignment", "state", "student"])]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.student} · {self.attempt or '-'}"

    @property
    def is_late(self) -> bool:
        return self.seconds_late > 0


class SubmissionFile(models.Model):
    """A verified file handed in with a submission, in the student's order.

    Name, size, type and SHA-256 are copied from the stored file when attached: the receipt
    shows exactly what was handed in, and the file is protected from deletion while used.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.ForeignKey("media.StoredFile", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=127, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")
        ordering = ["submission", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "file"], name="submission_file_once"),
        ]

    def __str__(self) -> str:
        return self.name
