"""A course's gradebook settings and categories, changed by its teachers."""

from django.db import transaction
from django.utils.translation import gettext as _

from lms.errors import ServiceError

from .. import grade_access as access
from ..models import Category, GradebookSettings


def gradebook_settings_update(
    *,
    by,
    course,
    weighting: str,
    scale: str,
    missing_counts_zero: bool,
    attendance_weight,
    categories: list[dict],
) -> GradebookSettings:
    access.require(by, course, access.GRADES_RELEASE)
    names = [c["name"].strip() for c in categories]
    if any(not n for n in names):
        raise ServiceError(_("Every category needs a name."), field="categories")
    if len(set(names)) != len(names):
        raise ServiceError(_("Two categories have the same name."), field="categories")
    with transaction.atomic():
        settings, _created = GradebookSettings.objects.select_for_update().get_or_create(
            course=course
        )
        settings.weighting = weighting
        settings.scale = scale
        settings.missing_counts_zero = missing_counts_zero
        settings.attendance_weight = attendance_weight
        settings.save()
        Category.objects.filter(course=course).exclude(name__in=names).delete()
        for position, category in enumerate(categories):
            Category.objects.update_or_create(
                course=course,
                name=category["name"].strip(),
                defaults={
                    "weight": category["weight"],
                    "drop_lowest": category.get("drop_lowest", 0),
                    "position": position,
                },
            )
    return settings
