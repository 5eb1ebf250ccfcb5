from django.urls import reverse
from django.utils.translation import gettext as _

from . import hooks, notifications, selectors
from .models import Role


def _item(request, label: str, url: str, exact: bool = False) -> dict:
    path = request.path
    active = path == url if exact else path.startswith(url)
    return {"label": label, "url": url, "active": active}


def navigation(request) -> dict:
    """The top navigation, by the roles the signed-in user holds."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def items():
        result = [_item(request, _("Dashboard"), reverse("dashboard"), exact=True)]
        schools = selectors.roles_by_school(user)
        result.extend(hooks.collect("nav_items", request, schools))
        inbox = _item(request, _("Notifications"), reverse("notifications"))
        inbox["badge"] = notifications.unread_count(user)
        result.append(inbox)
        for school, roles in schools:
            if Role.ADMIN in roles:
                label = _("People") if len(schools) == 1 else f"{_('People')} · {school.slug}"
                result.append(_item(request, label, reverse("school_people", args=[school.slug])))
        return result

    # Lazy, so pages that never render the navigation do not pay for it.
    from django.utils.functional import SimpleLazyObject

    return {"nav_items": SimpleLazyObject(items)}
