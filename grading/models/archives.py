from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubmissionArchive(models.Model):
    """A zip of everyone's latest hand-in for one assignment, built by a Celery task.

    `done` of `total` students is the progress the page shows while it builds.
    """

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("archive state", "queued")
        RUNNING = "running", pgettext_lazy("archive state", "being built")
        DONE = "done", pgettext_lazy("archive state", "ready")
        FAILED = "failed", pgettext_lazy("archive state", "failed")

    assignment = models.ForeignKey(
        "grading.Assignment", on_delete=models.CASCADE, related_name="archives"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        pgettext_lazy("archive", "state"), max_length=16, choices=State.choices, default="queued"
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.ForeignKey(
        "media.StoredFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("submission archive")
        verbose_name_plural = _("submission archives")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else int(100 * self.done / max(self.total, 1))
