"""The generated access matrix (see matrix.py): every route has an entry, every cell holds."""

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.access import matrix
from tests.access.world import MARK_READERS, build_core_world

SPEC_MODULES = sorted(
    name
    for _, name, _ in pkgutil.iter_modules([str(Path(__file__).parent)])
    if name.startswith("spec_")
)


def _load_specs():
    specs, builders = {}, []
    for name in SPEC_MODULES:
        module = importlib.import_module(f"tests.access.{name}")
        for key, route in module.SPEC.items():
            assert key not in specs, f"{key} is declared twice ({name})"
            specs[key] = route
        if hasattr(module, "build"):
            builders.append(module.build)
    return specs, builders


SPECS, BUILDERS = _load_specs()


def _routes():
    return {key: (pattern, callback) for key, pattern, callback in matrix.walk_routes()}


def _missing(routes) -> list[str]:
    return sorted(set(routes) - set(SPECS))


def test_a_new_route_without_an_entry_is_caught():
    import sys
    import types

    from django.http import HttpResponse
    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("matrix_probe_urls")
    module.urlpatterns = [
        path("", include(settings.ROOT_URLCONF)),
        path("api/v1/brand-new/<int:pk>/", lambda request, pk: HttpResponse(), name="api-new"),
    ]
    sys.modules[module.__name__] = module
    try:
        with override_settings(ROOT_URLCONF=module.__name__):
            clear_url_caches()
            assert _missing(_routes()) == ["api-new"]
    finally:
        clear_url_caches()
        del sys.modules[module.__name__]


def test_every_route_has_an_entry_and_every_entry_a_route():
    routes = _routes()
    missing = _missing(routes)
    assert not missing, (
        "Routes without an access-matrix entry (add them to tests/access/spec_<app>.py): "
        + ", ".join(missing)
    )
    stale = sorted(key for key in set(SPECS) - set(routes) if not SPECS[key].conditional)
    assert not stale, "Access-matrix entries naming no route: " + ", ".join(stale)


def test_every_method_a_view_answers_is_declared():
    problems = []
    for key, (_pattern, callback) in _routes().items():
        route = SPECS.get(key)
        if route is None:
            continue
        answered = matrix.implemented_methods(callback)
        declared = set(route.methods)
        if not declared:
            problems.append(f"{key}: no method declared")
        if answered is not None and answered - declared:
            problems.append(f"{key}: {sorted(answered - declared)} not declared")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once; every cell runs in a savepoint rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            w = build_core_world()
            for build in BUILDERS:
                build(w)
            yield w
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302, 303, 307):
        return False
    location = response.get("Location", "")
    return location.split("?")[0].endswith(reverse("login")) or "/login/" in location


def _outcome(response, api: bool) -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status == 401 or _is_login_redirect(response):
        return matrix.LOGIN
    return {403: matrix.FORBIDDEN, 404: matrix.HIDDEN, 405: matrix.NOT_ALLOWED}.get(
        status, matrix.OK
    )


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _leaks(role: str, body: bytes) -> list[str]:
    return [
        mark
        for mark, readers in MARK_READERS.items()
        if role not in readers and mark.encode() in body
    ]


def _send(w, route, role, method, url, api, query):
    client = Client(headers={"accept-language": "en"})
    headers = {}
    if role == "revoked_token":
        headers["authorization"] = f"Bearer {w.revoked_raw}"
    elif role != "anonymous":
        client.force_login(w.users[role])
    data = route.data(w, method) if route.data else {}
    if method == "get":
        return client.get(url, query or {}, headers=headers)
    if api:
        return getattr(client, method)(
            url, json.dumps(data), content_type="application/json", headers=headers
        )
    if method == "post":
        return client.post(url, data, headers=headers)
    return getattr(client, method)(url, headers=headers)


def _url(w, key, route) -> str:
    if route.url:
        return route.url(w)
    return reverse(key, kwargs=route.kwargs(w) if route.kwargs else None)


# The mark makes pytest-django create the test database; the world lives in an outer
# transaction built once, each test and each cell in a savepoint inside it.
@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(SPECS))
def test_access_matrix(key, world, django_db_blocker):
    route = SPECS[key]
    routes = _routes()
    if key not in routes:
        pytest.skip("no such route in this configuration (see the coverage test)")
    pattern = routes[key][0]
    api = pattern.lstrip("^").startswith("api/")
    failures = []
    with django_db_blocker.unblock():
        url = _url(world, key, route)
        base_query = route.query(world) if route.query else {}
        variants = [base_query]
        if route.filters:
            variants += [{**base_query, **extra} for extra in route.filters(world)]
        for method, table in route.methods.items():
            for role in matrix.ROLES:
                expected = table[role]
                if expected is None:  # the revoked token
                    expected = matrix.LOGIN if api else table["anonymous"]
                for query in variants if method == "get" else [base_query]:
                    cache.clear()
                    with transaction.atomic():
                        response = _send(world, route, role, method, url, api, query)
                        body = _body(response)
                        transaction.set_rollback(True)
                    matrix.CELLS_RUN["count"] += 1
                    got = _outcome(response, api)
                    where = f"{method.upper()} {url}{'?' + str(query) if query else ''} as {role}"
                    if got != expected:
                        failures.append(
                            f"{where}: expected {expected}, got {got} ({response.status_code})"
                        )
                    elif got == matrix.OK and (leaked := _leaks(role, body)):
                        failures.append(f"{where}: response shows rows marked {leaked}")
    matrix.CELLS_RUN["routes"] += 1
    matrix.CELLS_RUN["failed"] += len(failures)
    assert not failures, "\n".join(failures)
