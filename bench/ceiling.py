"""The stack's ceiling for the attendance benchmark: the same gunicorn + Django + PostgreSQL
serving a bare view that parses the JSON body and inserts one row per request.

Served as `bench.ceiling:application`: the project's WSGI application with this module's URLs
(the bare view first, then the project's own), so both run in the same processes.
"""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponseBadRequest, JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

TABLE_SQL = "CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, body jsonb)"


@csrf_exempt
def bare(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ceiling (body) VALUES (%s)", [json.dumps(body)])
    return JsonResponse({"stored": 1})


urlpatterns = [path("bench/bare", bare), path("", include("lms.urls"))]
settings.ROOT_URLCONF = __name__
