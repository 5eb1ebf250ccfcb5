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

    @property
    def join_code_display(self) -> str:
        """The code in two groups, easier to read aloud; typing it with or without the dash
        works."""
        code = self.join_code or ""
        return f"{code[:3]}-{code[3:]}" if len(code) > 4 else code


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


class PendingEnrollment(models.Model):
    """A roster row for someone who is not yet in the school: enrolled when they accept.

    Keyed by course and e-mail address; the school is the course's. The membership hook turns it
    into an Enrollment as soon as the person holds the membership the role needs.
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="pending_enrollments")
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(
        _("role"), max_length=16, choices=Enrollment.Role.choices, default=Enrollment.Role.STUDENT
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fulfilled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True)
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pending enrolment")
        verbose_name_plural = _("pending enrolments")
        ordering = ["course", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "email"],
                condition=Q(fulfilled_at__isnull=True),
                name="pending_enrollment_unique_open",
            ),
        ]
        indexes = [models.Index(fields=["email", "fulfilled_at"])]

    def __str__(self) -> str:
        return f"{self.email} · {self.course.code} · {self.get_role_display()}"


class RosterImport(models.Model):
    """An uploaded roster file: previewed first, applied at most once. Kept as an audit trail."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.TextField(_("content"))
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.course.code} · {self.filename or self.pk}"


class EnrollmentChange(models.Model):
    """One line of an enrolment's history: who changed what, when. Never edited or deleted."""

    class Action(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        DROPPED = "dropped", _("dropped")
        REACTIVATED = "reactivated", _("enrolled again")
        ROLE_CHANGED = "role_changed", _("role changed")

    class Source(models.TextChoices):
        STAFF = "staff", _("added by staff")
        JOIN_CODE = "join_code", _("join code")
        ROSTER_IMPORT = "roster_import", _("roster import")
        INVITATION = "invitation", _("invitation accepted")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    role = models.CharField(_("role"), max_length=16, choices=Enrollment.Role.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment change")
        verbose_name_plural = _("enrolment changes")
        ordering = ["enrollment", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.enrollment_id} · {self.action} · {self.changed_at:%Y-%m-%d}"
