from rest_framework.permissions import BasePermission

from . import selectors


class IsSchoolAdmin(BasePermission):
    """For views under /schools/<slug>/: the school is resolved, and 404s, in the view."""

    def has_permission(self, request, view):
        return request.user.is_authenticated


def may_administer(user, school) -> bool:
    return selectors.is_school_admin(user, school)
