"""The Wagtail admin as a part of Lophoc: its own content security policy, a clear "no access"
page instead of a login loop, and teachers landing on their course's lessons.

One middleware, because these apply to every admin URL (Wagtail's own views, the login, the
JavaScript catalogue, images and documents) and Wagtail has no hook that covers them all.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .models import CoursePage

# Admin URLs a signed-in person without admin access may still open (Wagtail serves them to
# anyone: the login page redirects, the icons and translations are needed on every page).
OPEN_ADMIN_VIEWS = ("login/", "logout/", "sprite/", "jsi18n/", "password_reset/")


def merged_csp(*updates: dict | None) -> dict:
    """Directive lists joined, in order, without duplicates."""
    merged: dict[str, list[str]] = {}
    for update in updates:
        for directive, sources in (update or {}).items():
            values = merged.setdefault(directive, [])
            values.extend(s for s in sources if s not in values)
    return merged


def storage_origins() -> list[str]:
    """Where stored files are served from when that is not this site (an S3 service): the
    admin shows image thumbnails and previews straight from there."""
    storage = settings.STORAGES.get("default", {})
    if not storage.get("BACKEND", "").startswith("storages.backends.s3"):
        return []
    options = storage.get("OPTIONS", {})
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}"]
    return ["https://*.amazonaws.com"]


def admin_csp_update() -> dict:
    stored = storage_origins()
    return merged_csp(
        getattr(settings, "WAGTAILADMIN_CSP_UPDATE", {}),
        {"img-src": stored, "media-src": stored} if stored else {},
    )


def single_course_page(user) -> CoursePage | None:
    """The one course page this person edits as its teacher, or None (none, or several)."""
    pages = list(CoursePage.objects.filter(editors__user=user).only("id")[:2])
    return pages[0] if len(pages) == 1 else None


class WagtailAdminMiddleware:
    """Listed after django-csp's middleware, so it marks the response before that one writes
    the header."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def prefix(self) -> str:
        return reverse("wagtailadmin_home")

    def __call__(self, request):
        if not request.path.startswith(self.prefix):
            return self.get_response(request)
        response = self.refuse_or_land(request) or self.get_response(request)
        response._csp_update = merged_csp(
            getattr(response, "_csp_update", None), admin_csp_update()
        )
        return response

    def refuse_or_land(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        rest = request.path[len(self.prefix) :]
        if rest.startswith(OPEN_ADMIN_VIEWS):
            return None
        if not user.has_perm("wagtailadmin.access_admin"):
            # Wagtail would send a signed-in student back to the sign-in page, which sends
            # them on to /admin/ again: a redirect loop. Say plainly what is going on.
            return render(
                request,
                "cms/admin_no_access.html",
                {
                    "title": _("No access to the lesson editor"),
                    "message": _(
                        "The lesson editor is for the teachers of a course and the school's "
                        "administrators. Your account has no course to edit."
                    ),
                },
                status=403,
            )
        if rest == "" and request.method == "GET" and not user.is_superuser:
            page = single_course_page(user)
            if page is not None:
                return redirect("wagtailadmin_explore", page.id)
        return None
