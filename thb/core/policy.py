"""Routes of the project itself (the home page, the health check, the language switch,
the API's own documentation, the Django admin) in the access table; the rules of the
domains are in each app's `policy.py`."""

from __future__ import annotations

from thb.core.routes import Route, ok, route

# Expected statuses of these routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "core:home": route(default=200),
    "core:healthz": route(default=200, anonymous=200),
    "set_language": route(default=302, anonymous=302),
    "api:openapi-json": route(default=200, anonymous=200),
    "api:openapi-view": route(default=200, anonymous=200),
    "api:api-root": route(default=404, anonymous=404),
    # The Django admin, one entry for all its pages (requested at its index): only the
    # administrator; everyone else, anonymous too, is sent to the admin's own login.
    "admin:*": ok("admin", default=302, anonymous=302),
}
