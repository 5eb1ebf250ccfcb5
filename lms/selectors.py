"""Reads about people, schools and roles, already narrowed to what the asker may see."""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .collation import sorted_by_name
from .errors import NotFound
from .models import ApiToken, Invitation, Membership, Role, School, User


def memberships_for(user: User) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("school"))


def roles_by_school(user: User) -> list[tuple[School, list[str]]]:
    """The user's schools, each with the roles held there, in a stable order."""
    grouped: dict[int, tuple[School, list[str]]] = {}
    for membership in memberships_for(user):
        grouped.setdefault(membership.school_id, (membership.school, []))[1].append(membership.role)
    order = {Role.ADMIN: 0, Role.TEACHER: 1, Role.STUDENT: 2}
    return [(school, sorted(roles, key=order.get)) for school, roles in grouped.values()]


def user_roles(user: User) -> set[str]:
    return {m.role for m in memberships_for(user)}


def has_school_role(user: User, school: School, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, school=school, role__in=roles).exists()


def is_school_admin(user: User, school: School) -> bool:
    return has_school_role(user, school, Role.ADMIN)


def school_by_slug(slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None:
        raise NotFound()
    return school


def school_administered_by(user: User, slug: str) -> School:
    """The school if the user administers it; 404 otherwise, so slugs cannot be probed."""
    school = School.objects.filter(
        slug=slug, memberships__user=user, memberships__role=Role.ADMIN
    ).first()
    if school is None or not user.is_authenticated:
        raise NotFound()
    return school


def school_users(*, school: School, role: str | None = None, query: str = "") -> QuerySet[User]:
    """People in a school with their roles there prefetched (two queries whatever the size)."""
    # One filter() call, so the role must be held in this school, not in any school.
    if role:
        users = User.objects.filter(memberships__school=school, memberships__role=role)
    else:
        users = User.objects.filter(memberships__school=school)
    if query:
        users = users.filter(full_name__icontains=query) | users.filter(email__icontains=query)
    return (
        users.distinct()
        .order_by("full_name", "email")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(school=school),
                to_attr="school_memberships",
            )
        )
    )


def school_people_in_name_order(
    *, school: School, role: str | None = None, query: str = ""
) -> list[User]:
    """`school_users` in Vietnamese name order (sorted in Python: no database collation puts
    "Đ" after "D" or files people by given name). Still two queries whatever the size."""
    return sorted_by_name(school_users(school=school, role=role, query=query))


def school_pending_invitations(*, school: School) -> list[Invitation]:
    """Invitations still waiting for an answer, in name order (addresses without a name last)."""
    pending = Invitation.objects.filter(
        school=school,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")
    return sorted_by_name(pending, key=lambda i: i.full_name)


def school_role_counts(school: School) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for role in Membership.objects.filter(school=school).values_list("role", flat=True):
        counts[role] += 1
    return {role: counts.get(role, 0) for role in Role.values}


def school_invitations(*, school: School) -> QuerySet[Invitation]:
    return Invitation.objects.filter(school=school).select_related("invited_by", "school")


def user_api_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()
