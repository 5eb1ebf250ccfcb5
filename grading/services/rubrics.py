"""Rubrics: written whole (criteria and levels in one payload), in one transaction."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from lms.errors import Conflict, ServiceError

from .. import grade_access as access
from ..models import Criterion, Grade, Level, Rubric

MAX_CRITERIA = 50
MAX_LEVELS = 10


def _clean(criteria) -> list[dict]:
    if not isinstance(criteria, list) or not criteria:
        raise ServiceError(_("A rubric needs at least one criterion."), field="criteria")
    if len(criteria) > MAX_CRITERIA:
        raise ServiceError(
            _("A rubric has at most %(n)s criteria.") % {"n": MAX_CRITERIA}, field="criteria"
        )
    cleaned = []
    for n, criterion in enumerate(criteria, start=1):
        title = str((criterion or {}).get("title") or "").strip()
        if not title:
            raise ServiceError(_("Criterion %(n)s needs a title.") % {"n": n}, field="criteria")
        levels = criterion.get("levels") or []
        if not isinstance(levels, list) or not levels or len(levels) > MAX_LEVELS:
            raise ServiceError(
                _("Criterion %(n)s needs between 1 and %(max)s levels.")
                % {"n": n, "max": MAX_LEVELS},
                field="criteria",
            )
        clean_levels = []
        for level in levels:
            try:
                points = Decimal(str((level or {}).get("points")).replace(",", "."))
            except (InvalidOperation, ValueError):
                points = None
            if points is None or not points.is_finite() or points < 0 or points >= 10000:
                raise ServiceError(
                    _("Criterion %(n)s: each level needs points from 0 up.") % {"n": n},
                    field="criteria",
                )
            clean_levels.append(
                {
                    "points": points.quantize(Decimal("0.01")),
                    "description": str(level.get("description") or "").strip()[:500],
                }
            )
        cleaned.append(
            {
                "title": title[:200],
                "description": str(criterion.get("description") or "").strip()[:5000],
                "levels": clean_levels,
            }
        )
    return cleaned


def _write_criteria(rubric: Rubric, criteria: list[dict]) -> None:
    for position, criterion in enumerate(criteria):
        saved = Criterion.objects.create(
            rubric=rubric,
            title=criterion["title"],
            description=criterion["description"],
            position=position,
        )
        Level.objects.bulk_create(
            Level(criterion=saved, position=i, **level)
            for i, level in enumerate(criterion["levels"])
        )


def rubric_create(*, by, course, title: str, criteria: list) -> Rubric:
    access.require(by, course, access.RUBRICS_MANAGE)
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the rubric a title."), field="title")
    cleaned = _clean(criteria)
    with transaction.atomic():
        rubric = Rubric.objects.create(course=course, title=title[:200], created_by=by)
        _write_criteria(rubric, cleaned)
    return rubric


def rubric_update(*, by, rubric: Rubric, title: str | None = None, criteria=None) -> Rubric:
    """Change the title, or replace the criteria while no grade uses the rubric yet (a used
    rubric would change grades already given: copy it instead)."""
    access.require(by, rubric.course, access.RUBRICS_MANAGE)
    with transaction.atomic():
        if title is not None:
            title = title.strip()
            if not title:
                raise ServiceError(_("Give the rubric a title."), field="title")
            rubric.title = title[:200]
            rubric.save(update_fields=["title", "updated_at"])
        if criteria is not None:
            cleaned = _clean(criteria)
            if Grade.objects.filter(rubric=rubric).exists():
                raise Conflict(
                    _("Grades already use this rubric; make a copy to change its criteria."),
                    code="rubric_in_use",
                )
            rubric.criteria.all().delete()
            _write_criteria(rubric, cleaned)
    return rubric


def rubric_delete(*, by, rubric: Rubric) -> None:
    access.require(by, rubric.course, access.RUBRICS_MANAGE)
    if Grade.objects.filter(rubric=rubric).exists():
        raise Conflict(_("Grades use this rubric; it cannot be deleted."), code="rubric_in_use")
    try:
        rubric.delete()
    except ProtectedError:
        raise Conflict(
            _("An assignment uses this rubric; choose another one there first."),
            code="rubric_in_use",
        ) from None
