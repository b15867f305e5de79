"""The declared access table: every page route and every API operation, with the
status each persona gets for its own institution's object, for another institution's
object, and anonymously. Each app declares its routes in `thb/<app>/policy.py` as a
`ROUTES` dict next to the rules that produce those statuses; `route_table()` gathers
them from `POLICY_MODULES`. `thb/core/tests/test_route_table.py` walks the URL
resolver and the OpenAPI schema, fails for any route without an entry, and requests
every route as every persona with the demo data.

Adding a route is one line in its app's `ROUTES`, for example

    "reports:edition": ok("coordinator", "admin"),                  # a page without object
    "victims:case_detail": ok(*CASE_USERS, kind="case", default=404),  # a page with an object
    "GET /api/v1/reports/editions": ok("coordinator"),              # an API operation

Keys are the URL name (`namespace:name`) for pages, `METHOD /path` (as in the OpenAPI
schema) for API operations, and `namespace:*` for a whole namespace covered by one
entry (the Django admin).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# The personas of the demo data the table speaks about (docs/users.md): one user for
# each role, and for the reporter role one for each institution kind with its own
# rights. The caseworker is Drošā māja's, whose victims have plans, residence tracks
# and proceedings in the demo.
PERSONAS: dict[str, str] = {
    "caseworker": "drosamaja",
    "commission": "komisija",
    "director": "policija",
    "reporter": "robezsardze",
    "funder": "labklajiba",
    "payer": "jpa",
    "migration": "pmlp",
    "court": "tiesa",
    "coordinator": "koordinators",
    "auditor": "auditors",
    "admin": "admin",
}
CASE_USERS = ("caseworker", "commission", "director")
REPORTERS = ("reporter", "funder", "payer", "migration", "court")  # the reporter role

# Where the tables are declared (a declared list, not discovery).
POLICY_MODULES = (
    "thb.core.policy",
    "thb.accounts.policy",
    "thb.victims.policy",
    "thb.screening.policy",
    "thb.support.policy",
    "thb.residence.policy",
    "thb.returns.policy",
    "thb.justice.policy",
    "thb.activities.policy",
    "thb.interop.policy",
    "thb.referrals.policy",
    "thb.commission.policy",
    "thb.linkage.policy",
    "thb.reports.policy",
    "thb.audit.policy",
)


@dataclass(frozen=True)
class Route:
    """Expected statuses of one route. `personas` maps a persona to (own, foreign);
    personas not listed get `default` either way. Without `kind` the route takes no
    object and only the `own` status applies."""

    personas: Mapping[str, tuple[int, int]]
    default: int
    anonymous: int | None  # None: 302 to the login page for pages, 401 for the API
    kind: str | None = None
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None  # JSON body of an API write
    shows_codes: bool = False  # renders case codes: each 200 writes an audit event

    def expected(self, persona: str, foreign: bool = False) -> int:
        own, other = self.personas.get(persona, (self.default, self.default))
        return other if foreign else own


def route(
    kind: str | None = None,
    *,
    default: int = 403,
    foreign: int = 404,
    anonymous: int | None = None,
    kwargs: Mapping[str, Any] | None = None,
    body: Mapping[str, Any] | None = None,
    shows_codes: bool = False,
    **personas: int | tuple[int, int],
) -> Route:
    """`persona=200` (own object 200, another institution's `foreign`), or
    `persona=(own, other)` spelled out."""
    return Route(
        personas={
            name: value if isinstance(value, tuple) else (value, foreign)
            for name, value in personas.items()
        },
        default=default,
        anonymous=anonymous,
        kind=kind,
        kwargs=kwargs or {},
        body=body,
        shows_codes=shows_codes,
    )


def ok(*personas: str, **options: Any) -> Route:
    """The listed personas get 200 (on their own object); everyone else `default`."""
    statuses: dict[str, Any] = dict.fromkeys(personas, 200)
    return route(**options, **statuses)


def route_table() -> dict[str, Route]:
    table: dict[str, Route] = {}
    for module_name in POLICY_MODULES:
        routes: dict[str, Route] = importlib.import_module(module_name).ROUTES
        for key, entry in routes.items():
            if key in table:
                raise ValueError(f"{key} is declared twice in the route table ({module_name})")
            table[key] = entry
    return table


# Walking the application's routes.


def page_routes(urlconf: str | None = None) -> dict[str, str]:
    """Every URL pattern as {key: path}: `namespace:name` (the path stands for the name
    of an unnamed pattern)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, str] = {}

    def walk(patterns: Any, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            path = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
                yield from walk(pattern.url_patterns, path, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or path  # an unnamed pattern is known by its path
                yield (f"{namespace}:{name}" if namespace else name), path

    for key, path in walk(get_resolver(urlconf).url_patterns, "/", ""):
        found.setdefault(key, path)
    return found


def api_operations() -> dict[str, str]:
    """Every operation of the OpenAPI schema as {"METHOD /path": path}."""
    from thb.api import api

    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": path
        for path, operations in schema["paths"].items()
        for method in operations
    }


def _covered(key: str, table: Mapping[str, Route]) -> bool:
    namespace = key.split(":", 1)[0] if ":" in key else ""
    return key in table or (bool(namespace) and f"{namespace}:*" in table)


def missing_routes(
    table: Mapping[str, Route] | None = None,
    urlconf: str | None = None,
    operations: Mapping[str, str] | None = None,
) -> list[str]:
    """The routes that have no entry in the table, each named with its path."""
    table = route_table() if table is None else table
    operations = api_operations() if operations is None else operations
    api_paths = {_django_path(path) for path in operations.values()}
    missing = [
        f"{key} ({path})"
        for key, path in page_routes(urlconf).items()
        if not _covered(key, table) and path not in api_paths
    ]
    missing += [key for key in operations if key not in table]
    return sorted(missing)


def _django_path(openapi_path: str) -> str:
    """/api/v1/cases/{code} -> /api/v1/cases/<code> (how ninja writes the pattern)."""
    return openapi_path.replace("{", "<").replace("}", ">")
