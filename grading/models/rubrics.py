from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rubric(models.Model):
    """Criteria with levels, reusable by every assignment of one course."""

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="rubrics")
    title = models.CharField(pgettext_lazy("rubric", "title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["course", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def max_points(self) -> Decimal:
        """Best level of each criterion, added up (uses prefetched criteria and levels)."""
        total = Decimal(0)
        for criterion in self.criteria.all():
            points = [level.points for level in criterion.levels.all()]
            total += max(points, default=Decimal(0))
        return total


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(pgettext_lazy("rubric criterion", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Level(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    description = models.CharField(_("description"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["criterion", "position", "-points", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="level_points_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.points} · {self.description}"
