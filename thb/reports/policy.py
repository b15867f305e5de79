"""Who may read the statistics: the coordinator and the administrator read every
figure of the internal edition (aggregates, never a record); anyone reads the public
edition, whose small cells are suppressed."""

from __future__ import annotations

from thb.accounts.models import Role, User
from thb.core.routes import Route, ok, route


def can_see_statistics(actor: User) -> bool:
    return actor.is_active and actor.role in (Role.COORDINATOR, Role.ADMINISTRATOR)


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "reports:statistics": ok("coordinator", "admin"),
    "reports:public_statistics": route(default=200, anonymous=200),
    "GET /api/v1/reports/figures/{year}": ok("coordinator", "admin", kwargs={"year": 2020}),
}
