"""Who administers accounts and institutions, and the routes of the accounts app in
the access table: signing in and out, the password and two-factor pages (every
signed-in user, for their own account), the one-time set-up link (anyone holding a
valid link) and the administration pages (the administrator only)."""

from __future__ import annotations

from typing import Any

from thb.core.routes import Route, ok, route


def can_administer(actor: Any) -> bool:
    """Accounts and institutions are managed by an active administrator (or a superuser
    created on the command line); no one else, whatever their staff flag."""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and (actor.is_superuser or actor.role == "administrator")
    )


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ADMIN_POST: dict[str, Any] = {"default": 403, "admin": 405}  # POST-only administration
ROUTES: dict[str, Route] = {
    "accounts:login": route(default=200, anonymous=200),
    "accounts:logout": route(default=405, anonymous=405),
    "accounts:password_change": route(default=200),
    "accounts:password_change_done": route(default=200),
    "accounts:otp_setup": route(default=200),
    "accounts:otp_disable": route(default=405),  # a POST from the two-factor page
    "accounts:otp_verify": route(default=302),  # to the set-up page: no device yet
    "accounts:otp_recovery_codes": route(default=405),  # a POST from the two-factor page
    # A link that is not (or no longer) valid is not found, for anyone.
    "accounts:setup_link": route(default=404, anonymous=404, kwargs={"token": "no-such-link"}),
    "accounts:admin_users": ok("admin"),
    "accounts:admin_user_new": ok("admin"),
    "accounts:admin_user": ok("admin", kwargs={"username": "marta"}),
    "accounts:admin_user_active": route(**ADMIN_POST, kwargs={"username": "marta"}),
    "accounts:admin_user_link": route(**ADMIN_POST, kwargs={"username": "marta"}),
    "accounts:admin_links": route(**ADMIN_POST),
    "accounts:admin_institutions": ok("admin"),
    "accounts:admin_institution_new": ok("admin"),
    "accounts:admin_institution": ok("admin", kwargs={"code": "marta"}),
}
