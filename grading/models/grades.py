from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GradebookSettings(models.Model):
    """How a course adds its grades up. Without a row the defaults apply (hệ số, 10 points)."""

    class Weighting(models.TextChoices):
        COEFFICIENTS = "coefficients", _("coefficients (hệ số): every item counts on its own")
        CATEGORIES = "categories", _("category weights: each category is a share of the total")

    class Scale(models.TextChoices):
        TEN = "ten", _("10-point scale")
        PERCENT = "percent", _("percentage")
        LETTER = "letter", _("letter grades")

    course = models.OneToOneField(
        "courses.Course", on_delete=models.CASCADE, related_name="gradebook_settings"
    )
    weighting = models.CharField(
        _("weighting"), max_length=16, choices=Weighting.choices, default=Weighting.COEFFICIENTS
    )
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices, default=Scale.TEN)
    missing_counts_zero = models.BooleanField(
        _("missing work counts as zero after the due date"), default=True
    )
    # Used only when the course's attendance policy turns the gradebook column on.
    attendance_weight = models.DecimalField(
        _("weight of the attendance column"), max_digits=6, decimal_places=2, default=1
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gradebook settings")
        verbose_name_plural = _("gradebook settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_weight__gte=0), name="gradebook_attendance_weight_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.weighting} · {self.scale}"


class Category(models.Model):
    """A gradebook category, matched by name to the assignments' category label."""

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="grade_categories"
    )
    name = models.CharField(pgettext_lazy("grade category", "name"), max_length=64)
    # The coefficient (hệ số) or the weight, depending on the course's weighting.
    weight = models.DecimalField(_("weight / coefficient"), max_digits=6, decimal_places=2)
    drop_lowest = models.PositiveSmallIntegerField(_("drop the lowest"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("grade category")
        verbose_name_plural = _("grade categories")
        ordering = ["course", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="category_name_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="category_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class AssignmentGrading(models.Model):
    """Grading options of one assignment: its rubric, extra credit, a scheduled release."""

    assignment = models.OneToOneField(
        "grading.Assignment", on_delete=models.CASCADE, related_name="grading"
    )
    rubric = models.ForeignKey(
        "grading.Rubric", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extra_credit = models.BooleanField(_("scores above the maximum allowed"), default=False)
    release_at = models.DateTimeField(_("release grades at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assignment grading")
        verbose_name_plural = _("assignment grading")

    def __str__(self) -> str:
        return f"{self.assignment_id}"


class Grade(models.Model):
    """A student's grade on one assignment: a draft for staff until released.

    `score` is what the gradebook reads: the raw score (typed, or computed from the rubric)
    minus the late penalty (automatic, or the override). `version` grows on every save, so two
    people grading at once cannot overwrite each other unknowingly.
    """

    assignment = models.ForeignKey(
        "grading.Assignment", on_delete=models.CASCADE, related_name="grades"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grades"
    )
    submission = models.ForeignKey(
        "grading.Submission", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raw_score = models.DecimalField(
        _("score before penalty"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    penalty_percent = models.DecimalField(
        _("late penalty (percent)"), max_digits=5, decimal_places=2, default=0
    )
    late_penalty = models.DecimalField(
        _("late penalty (points)"), max_digits=7, decimal_places=2, default=0
    )
    penalty_override = models.DecimalField(
        _("late penalty set by staff (points)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    penalty_override_reason = models.CharField(
        _("reason for the penalty change"), max_length=500, blank=True
    )
    score = models.DecimalField(
        pgettext_lazy("grade", "score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    excused = models.BooleanField(pgettext_lazy("grade", "excused"), default=False)
    # [{"criterion": id, "level": id, "points": "3.00", "comment": "..."}] in rubric order.
    rubric = models.ForeignKey(
        "grading.Rubric", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rubric_selections = models.JSONField(_("rubric selections"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # StoredFile ids (media), verified and owned by the grader when attached.
    feedback_files = models.JSONField(_("feedback files"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    release_at = models.DateTimeField(_("release at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["assignment", "student"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student"], name="grade_once"),
            models.CheckConstraint(
                condition=Q(late_penalty__gte=0), name="grade_penalty_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["student", "released_at"]),
            models.Index(
                fields=["release_at"],
                condition=Q(released_at__isnull=True, release_at__isnull=False),
                name="grade_release_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.student_id} · {self.score}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def penalty_applied(self):
        return self.late_penalty if self.penalty_override is None else self.penalty_override


class GradeChange(models.Model):
    """One line of a grade's history. Written by the services, never edited."""

    class Action(models.TextChoices):
        GRADED = "graded", _("graded")
        CHANGED = "changed", _("changed")
        EXCUSED = "excused", pgettext_lazy("grade", "excused")
        RELEASED = "released", pgettext_lazy("grade action", "released")
        REGRADED = "regraded", _("regraded")
        IMPORTED = "imported", _("imported")

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    old_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    new_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    old_excused = models.BooleanField(default=False)
    new_excused = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["grade", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.grade_id} · {self.action} · {self.old_score} → {self.new_score}"


class RegradeRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("regrade", "open")
        ACCEPTED = "accepted", pgettext_lazy("regrade", "accepted")
        DECLINED = "declined", pgettext_lazy("regrade", "declined")

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="regrade_requests")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        pgettext_lazy("regrade", "status"), max_length=16, choices=Status.choices, default="open"
    )
    answer = models.TextField(pgettext_lazy("regrade", "answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regrade request")
        verbose_name_plural = _("regrade requests")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["grade"], condition=Q(status="open"), name="regrade_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grade_id} · {self.status}"
