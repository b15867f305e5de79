"""Who may read and edit the annual report: the only place these rules are written.
Views, selectors, services, the API and the navigation call these functions. The
coordinator and the administrator read every figure of the internal edition
(aggregates, never a record); anyone reads the public edition, whose small counts of
persons are suppressed."""

from __future__ import annotations

from thb.accounts.models import Role, User
from thb.core.routes import Route, ok, route
from thb.reports.document import Edition

# The internal edition (every figure, unsuppressed) and the statistics pages.
STATISTICS_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


def can_read_statistics(actor: User) -> bool:
    """The internal edition, the statistics pages and the figure catalogue."""
    return actor.is_authenticated and actor.is_active and actor.role in STATISTICS_ROLES


def can_download(actor: User | None, edition: Edition) -> bool:
    """The public edition is published: anyone, logged in or not, may download it.
    The internal edition only the coordinator and administrators."""
    if edition == "public":
        return True
    return actor is not None and can_read_statistics(actor)


def can_edit_report(actor: User) -> bool:
    """Editing the chapter texts and marking the report final: the national
    coordinator only (administrators manage users, not the report)."""
    return actor.is_authenticated and actor.is_active and actor.role == Role.COORDINATOR


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "reports:statistics": ok("coordinator", "admin"),
    "reports:topic_statistics": ok("coordinator", "admin", kwargs={"topic": "justice"}),
    "reports:public_statistics": route(default=200, anonymous=200),
    # Without a format the public download names the missing fields (400), for anyone.
    "reports:public_download": route(default=400, anonymous=400),
    "reports:annual": ok("coordinator", "admin"),
    "reports:chapter_texts": ok("coordinator"),
    # POST only.
    "reports:freeze": route(default=405, anonymous=405),
    "reports:reopen": route(default=405, anonymous=405),
    "reports:catalogue": ok("coordinator", "admin"),
    "GET /api/v1/reports/figures/{year}": ok("coordinator", "admin", kwargs={"year": 2020}),
}
