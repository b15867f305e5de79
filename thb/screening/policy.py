"""Who may record, see and read the notes of a screening: the only place the rule is
written.

- Recording: a caseworker, a process director or an institution reporter (the
  detecting bodies: police, border guard, labour inspectorate, ...) of an institution.
  Attached to a case at recording, only by those who may edit the case.
- Seeing the result: with a case, whoever may see the case (thb/victims/policy.py:
  the owning caseworkers, the commission once the case is put before it, the process
  director); without a case, the users of the institution that recorded it.
- The notes are free text that may identify the person: like the identity, only the
  owning caseworkers and the process director of the case (`can_see_identity`), or,
  without a case, the recording institution. They are read only through
  `notes_for`, which checks this policy and audits the read.

Other apps include the screening form and result in their pages (the intake, the
case page, the referral); the app's own page records a screening on an existing case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from thb.accounts.models import Role, User
from thb.core.routes import Route, route
from thb.victims.policy import CasePolicy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from thb.screening.models import Screening
    from thb.victims.models import Case

RECORDING_ROLES = (Role.CASEWORKER, Role.PROCESS_DIRECTOR, Role.REPORTER)


def _at_recording_institution(actor: User, screening: Screening) -> bool:
    return (
        actor.is_active
        and actor.role in RECORDING_ROLES
        and actor.institution_id is not None
        and actor.institution_id == screening.institution_id
    )


class ScreeningPolicy:
    @staticmethod
    def can_record(actor: User, case: Case | None = None) -> bool:
        if not (
            actor.is_active and actor.role in RECORDING_ROLES and actor.institution_id is not None
        ):
            return False
        return case is None or CasePolicy(actor, case).can_edit

    @staticmethod
    def can_attach(actor: User, case: Case) -> bool:
        """Attach a screening (normally one that came with a referral) to a case."""
        return CasePolicy(actor, case).can_edit

    @staticmethod
    def can_view(actor: User, screening: Screening) -> bool:
        if screening.case is not None:
            return CasePolicy(actor, screening.case).can_view
        return _at_recording_institution(actor, screening)

    @staticmethod
    def can_see_notes(actor: User, screening: Screening) -> bool:
        if screening.case is not None:
            return CasePolicy(actor, screening.case).can_see_identity
        return _at_recording_institution(actor, screening)


def notes_for(actor: User, screening: Screening, request: HttpRequest | None = None) -> str | None:
    """The one way to read a screening's notes: None unless the policy allows the actor
    to see them; every read of non-empty notes is audited."""
    from thb.audit.services import audit_read

    if not ScreeningPolicy.can_see_notes(actor, screening):
        return None
    if screening.notes:
        audit_read(actor=actor, target=screening, request=request, purpose="screening_notes")
    return screening.notes


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "screening:case_screening": route(
        "case", default=404, caseworker=200, commission=403, director=403, shows_codes=True
    ),
}
