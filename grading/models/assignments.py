from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Assignment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("assignment status", "draft")
        PUBLISHED = "published", pgettext_lazy("assignment status", "published")

    class SubmissionType(models.TextChoices):
        TEXT = "text", _("text only")
        FILES = "files", _("files only")
        BOTH = "both", _("text and files")

    class PenaltyUnit(models.TextChoices):
        DAY = "day", _("per day")
        HOUR = "hour", _("per hour")

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="assignments"
    )
    title = models.CharField(pgettext_lazy("assignment", "title"), max_length=200)
    # Stored already sanitised (services.assignments): templates may mark it safe.
    instructions = models.TextField(_("instructions"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=10)
    # A free label for now; the gradebook maps it to its weighted categories.
    category = models.CharField(_("category"), max_length=64, blank=True)
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    # Empty: nothing is accepted after the due time.
    late_cutoff = models.DateTimeField(_("late submissions until"), null=True, blank=True)
    late_penalty_percent = models.DecimalField(
        _("late penalty (percent)"), max_digits=5, decimal_places=2, default=0
    )
    late_penalty_unit = models.CharField(
        _("late penalty applies"),
        max_length=8,
        choices=PenaltyUnit.choices,
        default=PenaltyUnit.DAY,
    )
    late_penalty_cap = models.DecimalField(
        _("late penalty at most (percent)"), max_digits=5, decimal_places=2, default=100
    )
    # Empty: as many attempts as the student likes; the last one counts.
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, default=1
    )
    submission_type = models.CharField(
        _("what students hand in"),
        max_length=8,
        choices=SubmissionType.choices,
        default=SubmissionType.BOTH,
    )
    # Lower-case extensions without the dot, e.g. ["pdf", "docx"]; empty means any type that
    # media accepts.
    allowed_extensions = models.JSONField(_("allowed file types"), default=list, blank=True)
    max_file_size = models.PositiveBigIntegerField(
        _("largest file (bytes)"), default=20 * 1024 * 1024
    )
    max_files = models.PositiveSmallIntegerField(_("most files per attempt"), default=5)
    status = models.CharField(
        pgettext_lazy("assignment", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True) | Q(available_from__lte=F("due_at")),
                name="assignment_available_before_due",
            ),
            models.CheckConstraint(
                condition=Q(late_cutoff__isnull=True) | Q(late_cutoff__gte=F("due_at")),
                name="assignment_cutoff_after_due",
            ),
            models.CheckConstraint(
                condition=Q(late_penalty_percent__gte=0, late_penalty_percent__lte=100)
                & Q(late_penalty_cap__gte=0, late_penalty_cap__lte=100),
                name="assignment_penalty_is_percent",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="assignment_points_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1),
                name="assignment_at_least_one_attempt",
            ),
            models.CheckConstraint(
                condition=Q(max_files__gte=1), name="assignment_at_least_one_file"
            ),
        ]
        indexes = [models.Index(fields=["course", "status", "due_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def accepts_text(self) -> bool:
        return self.submission_type in (self.SubmissionType.TEXT, self.SubmissionType.BOTH)

    @property
    def accepts_files(self) -> bool:
        return self.submission_type in (self.SubmissionType.FILES, self.SubmissionType.BOTH)


class Extension(models.Model):
    """One student's own deadline for one assignment, granted by the course's staff."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField(_("new due time"))
    late_cutoff = models.DateTimeField(_("late submissions until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="extension_one_per_student"
            ),
            models.CheckConstraint(
                condition=Q(late_cutoff__isnull=True) | Q(late_cutoff__gte=F("due_at")),
                name="extension_cutoff_after_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.student}"
