from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.models import validate_time_zone


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        ARCHIVED = "archived", _("archived")

    school = models.ForeignKey("lms.School", on_delete=models.PROTECT, related_name="courses")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    in_catalogue = models.BooleanField(
        _("shown in the school catalogue"),
        default=False,
        help_text=_("Anyone may read the course overview; lessons stay for members."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Empty means the school's time zone."),
    )
    join_code = models.CharField(_("join code"), max_length=16, null=True, blank=True, unique=True)
    join_code_enabled = models.BooleanField(_("join code enabled"), default=True)
    join_code_expires_at = models.DateTimeField(_("join code expires at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code", "title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="course_code_unique_in_school"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="course_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def effective_time_zone(self) -> str:
        return self.time_zone or self.school.time_zone


class Enrollment(models.Model):
    class Role(models.TextChoices):
        TEACHER = "teacher", _("teacher")
        ASSISTANT = "assistant", _("assistant")
        STUDENT = "student", _("student")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DROPPED = "dropped", _("dropped")

    STAFF_ROLES = (Role.TEACHER, Role.ASSISTANT)

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    dropped_at = models.DateTimeField(_("dropped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="enrollment_unique_user"),
        ]
        indexes = [
            models.Index(fields=["course", "status", "role"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.course.code} · {self.get_role_display()}"

    @property
    def is_staff(self) -> bool:
        return self.role in self.STAFF_ROLES
