"""/healthz: is the service up?

The public answer (load balancers, uptime monitors) is cheap: one `SELECT 1`, no details.
The deep check (`?deep=1`: database, a storage write/read/delete and the broker, with errors)
is for the platform's operators: a signed-in superuser, or `Authorization: Bearer
<HEALTHZ_TOKEN>` when that setting is given to a monitor. Anyone else asking for it gets 403,
so nobody can make the server write to storage at will.
"""

import hmac
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage() -> None:
    name = default_storage.save("healthz/probe.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise OSError("storage returned different bytes")
    finally:
        default_storage.delete(name)


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": check_database, "storage": check_storage, "broker": check_broker}


def is_operator(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    token = getattr(settings, "HEALTHZ_TOKEN", "")
    header = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(header.encode(), f"Bearer {token}".encode())


@never_cache
def healthz(request):
    if request.GET.get("deep"):
        if not is_operator(request):
            return JsonResponse(
                {"detail": "The deep check is for the platform's operators.", "code": "forbidden"},
                status=403,
            )
        return deep_check()
    try:
        check_database()
    except Exception:  # the public answer says only up or down
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def deep_check():
    results = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
            results[name] = {"ok": True}
        except Exception as exc:  # any failure of a dependency is what we report
            healthy = False
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
