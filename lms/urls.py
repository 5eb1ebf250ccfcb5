import importlib.util

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .health import healthz

# Each app with an api/urls.py is mounted under /api/v1/, and with a urls.py at the root.
LOPHOC_APPS = ["courses", "media", "cms", "classrooms", "attendance", "grading"]


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


api_v1 = [path("", include("lms.api.urls"))]
api_v1 += [path("", include(f"{a}.api.urls")) for a in LOPHOC_APPS if _has_module(f"{a}.api.urls")]

# Machines' webhooks (apps' api/hooks.py) come first: the busiest requests, resolved before the
# hundreds of patterns below.
api_hooks = [
    path("", include(f"{a}.api.hooks")) for a in LOPHOC_APPS if _has_module(f"{a}.api.hooks")
]

urlpatterns = [
    path("api/v1/", include(api_hooks)),
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("lms.web_urls")),
]
urlpatterns += [path("", include(f"{a}.urls")) for a in LOPHOC_APPS if _has_module(f"{a}.urls")]
if settings.DEBUG and settings.MEDIA_URL == "/media/":
    # Only Wagtail's image renditions, for `make run` with local storage. Documents and every
    # other stored file are private: they go out only through their views' access checks.
    urlpatterns.append(
        re_path(
            r"^media/(?P<path>images/[^/]+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
            name="media-images",
        )
    )
# Wagtail serves the published pages; it comes last because it matches any path below /learn/.
urlpatterns.append(path("learn/", include(wagtail_urls)))
