"""Who may see and do what in record linkage: the only place the rule is written.

- The review queue is the caseworkers': a caseworker sees the possible duplicates of
  which one case is their own institution's, with the match score, the fields that
  matched (never their values) and the other institution's name. Nothing of the other
  institution's case is shown: not its code, identity or data.
- Each side confirms or rejects for its own case; a link is applied when both sides
  confirmed, and either side's rejection closes the pair.
- The linkage run is an operator's command (`thb linkage run`), not a page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from thb.accounts.models import Role, User
from thb.core.routes import Route, ok, route

if TYPE_CHECKING:
    from thb.linkage.models import LinkCandidate


def can_review(actor: User) -> bool:
    """The review pages open at all (the object rule is `scope`)."""
    return actor.has_role(Role.CASEWORKER) and actor.institution_id is not None


def scope(actor: User) -> Q | None:
    """The candidates the actor may open: those with a case of its institution."""
    if not can_review(actor):
        return None
    return Q(case_a__institution_id=actor.institution_id) | Q(
        case_b__institution_id=actor.institution_id
    )


class LinkagePolicy:
    """The actor's rights on one candidate pair."""

    def __init__(self, actor: User, candidate: LinkCandidate) -> None:
        self.actor = actor
        self.candidate = candidate

    @property
    def side(self) -> str | None:
        """ "a" or "b": the side whose case is the actor's institution's."""
        if not can_review(self.actor):
            return None
        if self.candidate.case_a.institution_id == self.actor.institution_id:
            return "a"
        if self.candidate.case_b.institution_id == self.actor.institution_id:
            return "b"
        return None

    @property
    def can_view(self) -> bool:
        return self.side is not None

    @property
    def is_open(self) -> bool:
        from thb.linkage.models import CandidateStatus

        return self.candidate.status == CandidateStatus.OPEN

    @property
    def confirmed_by_own_side(self) -> bool:
        side = self.side
        if side == "a":
            return self.candidate.confirmed_a_at is not None
        return side == "b" and self.candidate.confirmed_b_at is not None

    @property
    def confirmed_by_other_side(self) -> bool:
        side = self.side
        if side == "a":
            return self.candidate.confirmed_b_at is not None
        return side == "b" and self.candidate.confirmed_a_at is not None

    @property
    def can_confirm(self) -> bool:
        return self.can_view and self.is_open and not self.confirmed_by_own_side

    @property
    def can_reject(self) -> bool:
        return self.can_view and self.is_open


# Expected statuses of this app's routes (thb/core/routes.py explains the table). The
# caseworker persona is Drošā māja's; the demo has a pair of one person's cases at
# MARTA and Drošā māja. Writes through the API answer 200 on the caseworker's own pair
# (the walk rolls each request back).
ROUTES: dict[str, Route] = {
    "linkage:list": ok("caseworker"),
    "linkage:detail": route("link_candidate", caseworker=200, shows_codes=True),
    "GET /api/v1/linkage/candidates": ok("caseworker"),
    "GET /api/v1/linkage/candidates/{pk}": route(
        "link_candidate", caseworker=200, shows_codes=True
    ),
    "POST /api/v1/linkage/candidates/{pk}/confirm": route(
        "link_candidate", caseworker=200, shows_codes=True
    ),
    "POST /api/v1/linkage/candidates/{pk}/reject": route(
        "link_candidate", caseworker=200, shows_codes=True
    ),
}
