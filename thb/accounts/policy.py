"""Routes of the accounts app in the access table: signing in and out, the password
and two-factor pages, which every signed-in user has for their own account."""

from __future__ import annotations

from thb.core.routes import Route, route

# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "accounts:login": route(default=200, anonymous=200),
    "accounts:logout": route(default=405, anonymous=405),
    "accounts:password_change": route(default=200),
    "accounts:password_change_done": route(default=200),
    "accounts:otp_setup": route(default=200),
    "accounts:otp_disable": route(default=405),  # a POST from the two-factor page
    "accounts:otp_verify": route(default=302),  # to the set-up page: no device yet
}
