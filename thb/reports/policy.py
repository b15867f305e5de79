"""Who may read and edit the annual report: the only place these rules are written.
Views, selectors, services, the API and the navigation call these functions."""

from __future__ import annotations

from thb.accounts.models import Role, User
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
