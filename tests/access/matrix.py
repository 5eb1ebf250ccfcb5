"""The access matrix: every route x every role x its methods, declared per app.

Each `tests/access/spec_<app>.py` holds `SPEC = {route key: Route(...)}` and may define
`build(world)` to add the objects its routes need. A route key is the URL name with its
namespace (`api-course`, `classrooms:live`), or the pattern for an unnamed route. The test
in `test_matrix.py` walks `django.urls.get_resolver()`, fails for any route without an entry
(and for entries naming no route), and runs every cell against one shared world.

Outcomes (what a cell must answer):
    OK         access granted: any status but 401/403/404/405, a redirect to the login page
               or a 5xx (a 400 for the matrix's empty body still proves the door was open)
    LOGIN      not signed in: 401 on the API, a redirect to the login page on pages
    FORBIDDEN  403: sees the object, lacks the capability
    HIDDEN     404: the object does not exist for this person
    NOT_ALLOWED 405
Every OK body is searched for the markers of rows the role must never see (see world.py).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

OK, LOGIN, FORBIDDEN, HIDDEN, NOT_ALLOWED = "ok", "login", "forbidden", "hidden", "not_allowed"
OUTCOMES = (OK, LOGIN, FORBIDDEN, HIDDEN, NOT_ALLOWED)

ROLES = (
    "anonymous",
    "student",  # student of the course
    "other_student",  # student of another course of the same school
    "teacher",  # teacher of the course
    "other_teacher",  # teacher of another course of the same school
    "assistant",
    "admin",  # administrator of the course's school
    "other_admin",  # administrator of another school
    "operator",  # platform operator (is_superuser), no membership
    "revoked_token",  # the course's teacher, through a revoked API token
)
STUDENT = frozenset({"student"})
STAFF = frozenset({"teacher", "assistant"})
MEMBERS = STAFF | STUDENT
OBSERVERS = MEMBERS | {"admin"}  # everyone with a role in the course
SIGNED_IN = frozenset(ROLES) - {"anonymous", "revoked_token"}
EVERYONE = frozenset(ROLES)

METHODS = ("get", "post", "put", "patch", "delete")
CELLS_RUN = {"count": 0, "routes": 0, "failed": 0}  # reported at the end of the run

# Routes the matrix does not cover, each with the reason.
SKIPPED_PREFIXES = {
    "django-admin/": "Django's admin: platform staff only, guarded by Django's admin site",
    "admin/": "Wagtail's admin: guarded by Wagtail's own permissions (tests/cms)",
    "static/": "static files",
    "__debug__/": "debug toolbar, development only",
}


def expect(
    *,
    ok: Iterable[str] = (),
    forbidden: Iterable[str] = (),
    hidden: Iterable[str] | None = None,
    login: Iterable[str] = (),
    anonymous: str = LOGIN,
    revoked: str | None = None,
    default: str = HIDDEN,
    **explicit: str,
) -> dict[str, str]:
    """An expectation for one method: role -> outcome.

    Roles not named get `default` (HIDDEN); anonymous gets `anonymous` (LOGIN); the revoked
    token gets `revoked` (None: LOGIN on the API, the anonymous outcome on pages).
    """
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = anonymous
    for roles, outcome in (
        (ok, OK),
        (forbidden, FORBIDDEN),
        (login, LOGIN),
        (hidden or (), HIDDEN),
    ):
        for role in roles:
            table[role] = outcome
    table["revoked_token"] = revoked  # resolved by the runner, which knows API from page
    for role, outcome in explicit.items():
        assert role in ROLES, role
        table[role] = outcome
    for role, outcome in table.items():
        assert outcome is None or outcome in OUTCOMES, (role, outcome)
    return table


PUBLIC = expect(ok=EVERYONE - {"revoked_token"}, anonymous=OK)


@dataclass
class Route:
    """How to reach one route and what each role gets, by method (GET=..., POST=...)."""

    kwargs: Callable | None = None  # world -> URL kwargs
    url: Callable | None = None  # world -> full path, for routes `reverse` cannot build
    query: Callable | None = None  # world -> query parameters
    data: Callable | None = None  # (world, method) -> request body (default: empty)
    filters: Callable | None = None  # world -> [query dicts]: GET again with each (foreign ids)
    methods: dict[str, dict[str, str]] = field(default_factory=dict)

    conditional: bool = False  # exists only in some configurations (DEBUG): no stale check

    def __init__(
        self,
        *,
        kwargs=None,
        url=None,
        query=None,
        data=None,
        filters=None,
        conditional=False,
        **methods,
    ):
        self.conditional = conditional
        self.kwargs, self.url, self.query, self.data, self.filters = (
            kwargs,
            url,
            query,
            data,
            filters,
        )
        self.methods = {}
        for method, table in methods.items():
            assert method.lower() in METHODS, method
            self.methods[method.lower()] = table


def walk_routes():
    """(key, pattern, callback) for every route of the URL configuration, skipped ones left out."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix: str, namespace: str | None):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                yield name or pattern, pattern, entry.callback

    for key, pattern, callback in walk(get_resolver(), "", None):
        bare = pattern.lstrip("^")
        if any(bare.startswith(prefix) for prefix in SKIPPED_PREFIXES):
            continue
        yield key, pattern, callback


def implemented_methods(callback) -> set[str] | None:
    """The HTTP methods a class-based view answers; None for a function view (ask the spec)."""
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return None
    return {m for m in METHODS if hasattr(cls, m)}
