from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Purpose(models.TextChoices):
    SUBMISSION = "submission", pgettext_lazy("file purpose", "submission")
    FEEDBACK = "feedback", pgettext_lazy("file purpose", "feedback")
    COURSE_DOCUMENT = "course_document", pgettext_lazy("file purpose", "course document")
    OTHER = "other", pgettext_lazy("file purpose", "other")


class StoredFile(models.Model):
    """One uploaded object in storage, never trusted before `state` is verified."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("file state", "uploading")
        VERIFIED = "verified", pgettext_lazy("file state", "verified")
        REJECTED = "rejected", pgettext_lazy("file state", "rejected")

    class Reason(models.TextChoices):
        # The labels are what the person reads: each says what to do next.
        NONE = "", ""
        MISSING = "missing", _("The file never reached storage. Upload it again.")
        EMPTY = "empty", _("The file is empty. Choose a file that has content.")
        SIZE_MISMATCH = (
            "size_mismatch",
            _("The uploaded file's size differs from the size announced. Upload it again."),
        )
        TOO_LARGE = "too_large", _("The file is larger than allowed. Choose a smaller file.")
        TYPE_NOT_ALLOWED = (
            "type_not_allowed",
            _("This kind of file is not accepted here. Choose one of the allowed types."),
        )
        TYPE_MISMATCH = (
            "type_mismatch",
            _(
                "The file's content does not match its name's extension. Save it again in the "
                "right format and upload it."
            ),
        )
        BROKEN = "broken", _("The upload could not be put together. Upload the file again.")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="stored_files",
        verbose_name=_("owner"),
    )
    school = models.ForeignKey(
        "lms.School",
        on_delete=models.CASCADE,
        related_name="stored_files",
        verbose_name=_("school"),
    )
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    key = models.CharField(_("storage key"), max_length=255, unique=True, editable=False)
    name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size in bytes"))
    declared_type = models.CharField(_("declared type"), max_length=127, blank=True)
    content_type = models.CharField(
        _("content type"), max_length=127, blank=True, help_text=_("Sniffed from the content.")
    )
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    reason = models.CharField(
        _("reason"), max_length=24, choices=Reason.choices, default=Reason.NONE, blank=True
    )
    # Multipart uploads only: S3's upload id and the size of every part but the last.
    upload_id = models.CharField(max_length=1024, blank=True, editable=False)
    part_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["state", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="stored_file_size_positive")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_multipart(self) -> bool:
        return bool(self.upload_id)

    @property
    def part_count(self) -> int:
        if not self.part_size:
            return 1
        return max(1, -(-self.size // self.part_size))

    @property
    def extension(self) -> str:
        stem, dot, ext = self.name.rpartition(".")
        return ext.lower() if dot and stem else ""
