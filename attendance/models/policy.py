"""A course's attendance rules, the rates kept from its marks, and chronic-absence state."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
