"""The school administrator's part of the dashboard: people and pending invitations.

Declared as a `dashboard_panels` hook on LmsConfig, like the panels of the other apps, so the
dashboard page stays one list of panels (classrooms adds today's lessons across the school,
attendance this week's attendance).
"""

from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from .collation import sorted_by_name
from .models import Invitation, Membership, Role

SHOWN = 5


def school_panels(request, schools) -> list[dict]:
    """One panel per school the user administers; three queries however many schools."""
    admin_schools = [school for school, roles in schools if Role.ADMIN in roles]
    if not admin_schools:
        return []
    ids = [school.pk for school in admin_schools]
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Role.values, 0))
    for row in (
        Membership.objects.filter(school_id__in=ids, user__is_active=True)
        .values("school_id", "role")
        .annotate(n=Count("pk"))
    ):
        counts[row["school_id"]][row["role"]] = row["n"]
    pending: dict[int, list[Invitation]] = defaultdict(list)
    for invitation in Invitation.objects.filter(
        school_id__in=ids,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("pk"):
        pending[invitation.school_id].append(invitation)
    return [
        {
            "template": "lms/_school_panel.html",
            "school": school,
            "counts": counts[school.pk],
            "pending_count": len(pending[school.pk]),
            "pending": sorted_by_name(pending[school.pk], key=lambda i: i.full_name)[:SHOWN],
        }
        for school in admin_schools
    ]
