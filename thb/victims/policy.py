"""Who may see and do what in the victim register: the only place the rule is written.

A case is seen by the caseworkers of the institution that owns it, by that
institution's commission members once it is put before the commission, and by the
process directors of the institution that leads its criminal proceeding. The
identity (the decrypted name, personal code, contacts) is seen only by those who work
with the person directly: the owning caseworkers and the process director; it is
decrypted only through `identity_for`, which checks this policy and audits the read.

Views, selectors, services, the API and other apps (support, residence) call this
module; none of them compares roles or institutions of a case themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from thb.accounts.models import Institution, Role, User
from thb.core.routes import CASE_USERS, Route, ok, route

if TYPE_CHECKING:
    from django.http import HttpRequest

    from thb.victims.models import Case, PersonIdentity


class CasePolicy:
    """The actor's rights on one case."""

    def __init__(self, actor: User, case: Case) -> None:
        self.actor = actor
        self.case = case

    # Queryset scopes and role gates (no case at hand).

    @staticmethod
    def scope(actor: User) -> Q | None:
        """The cases the actor may see, or None for none at all."""
        if not actor.is_active or actor.institution_id is None:
            return None
        if actor.role == Role.CASEWORKER:
            return Q(institution_id=actor.institution_id)
        if actor.role == Role.COMMISSION_MEMBER:
            return Q(institution_id=actor.institution_id, submitted_to_commission_on__isnull=False)
        if actor.role == Role.PROCESS_DIRECTOR:
            return Q(proceeding_institution_id=actor.institution_id)
        # Coordinators, auditors, reporters and administrators never see victims' records.
        return None

    @staticmethod
    def can_list(actor: User) -> bool:
        return CasePolicy.scope(actor) is not None

    @staticmethod
    def can_create(actor: User, institution: Institution | None = None) -> bool:
        """Intakes are recorded by caseworkers, for their own institution."""
        return (
            actor.is_active
            and actor.role == Role.CASEWORKER
            and actor.institution_id is not None
            and (institution is None or institution.pk == actor.institution_id)
        )

    @staticmethod
    def can_import_decision(actor: User, kind: str, historical: bool) -> bool:
        """A caseworker importing its institution's cases may carry their commission
        decisions, and a process director's decision only from a historical register
        (transcribed, not taken in THB)."""
        from thb.victims.models import DecisionKind

        return CasePolicy.can_create(actor) and (kind == DecisionKind.COMMISSION or historical)

    # The actor's relation to this case.

    def _at(self, role: str, institution_id: int | None) -> bool:
        return (
            self.actor.is_active
            and self.actor.role == role
            and institution_id is not None
            and self.actor.institution_id == institution_id
        )

    @property
    def is_owner(self) -> bool:
        """A caseworker of the institution that owns the case."""
        return self._at(Role.CASEWORKER, self.case.institution_id)

    @property
    def is_process_director(self) -> bool:
        """A process director of the institution leading the case's proceeding."""
        return self._at(Role.PROCESS_DIRECTOR, self.case.proceeding_institution_id)

    @property
    def is_commission_member(self) -> bool:
        return self._at(Role.COMMISSION_MEMBER, self.case.institution_id)

    # Rights.

    @property
    def can_view(self) -> bool:
        return (
            self.is_owner
            or self.is_process_director
            or (self.is_commission_member and self.case.submitted_to_commission_on is not None)
        )

    @property
    def can_edit(self) -> bool:
        """The profile, the identity and the routing: the owning caseworkers."""
        return self.is_owner

    @property
    def can_route(self) -> bool:
        return self.is_owner

    @property
    def can_record_injured_party(self) -> bool:
        return self.is_owner or self.is_process_director

    @property
    def can_see_identity(self) -> bool:
        return self.is_owner or self.is_process_director

    @property
    def decision_kinds(self) -> list[str]:
        """The identification decisions the actor may record: the commission's (by a
        member or the owning caseworker) and the process director's."""
        from thb.victims.models import DecisionKind

        kinds = []
        if self.is_owner or self.is_commission_member:
            kinds.append(DecisionKind.COMMISSION.value)
        if self.is_process_director:
            kinds.append(DecisionKind.PROCESS_DIRECTOR.value)
        return kinds

    def can_decide(self, kind: str | None = None) -> bool:
        kinds = self.decision_kinds
        return bool(kinds) if kind is None else kind in kinds

    def as_dict(self) -> dict[str, bool]:
        """The rights a template needs (`can.edit`, `can.decide`, ...)."""
        return {
            "edit": self.can_edit,
            "decide": self.can_decide(),
            "route": self.can_route,
            "injured_party": self.can_record_injured_party,
            "identity": self.can_see_identity,
        }


def identity_for(
    actor: User, case: Case, request: HttpRequest | None = None
) -> PersonIdentity | None:
    """The one way to decrypt a person's identity: None unless the policy allows the
    actor to see it; every decryption is audited. `Person` has no reverse accessor to
    its identity (`related_name="+"`), so a page cannot read it past this function."""
    from thb.audit.services import audit_read
    from thb.victims.models import PersonIdentity

    if not CasePolicy(actor, case).can_see_identity:
        return None
    identity = PersonIdentity.objects.filter(person_id=case.person_id).first()
    if identity is not None:
        audit_read(
            actor=actor, target=identity, request=request, purpose="identity", code=case.person.code
        )
    return identity


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "victims:case_list": ok(*CASE_USERS, shows_codes=True),
    "victims:case_create": ok("caseworker"),
    "victims:case_detail": ok(*CASE_USERS, kind="case", default=404, shows_codes=True),
    "victims:case_profile_edit": route(
        "case", default=404, caseworker=200, commission=403, director=403, shows_codes=True
    ),
    "victims:case_decision": ok(*CASE_USERS, kind="case", default=404, shows_codes=True),
    "victims:case_routing": route(
        "case", default=404, caseworker=200, director=200, commission=403, shows_codes=True
    ),
    "GET /api/v1/cases/": ok(*CASE_USERS, shows_codes=True),
    "GET /api/v1/cases/{code}": ok(*CASE_USERS, kind="case", default=404, shows_codes=True),
    "POST /api/v1/cases/": route(
        default=403,
        caseworker=201,
        body={
            "intake_date": "2020-06-01",
            "referral_channel": "self",
            "sex": "female",
            "citizenship": "UA",
            "forms": ["sexual"],
        },
    ),
    # The walk's body names no commission members: refused (422) where the persona may
    # record a commission's decision, so the walk saves nothing.
    "POST /api/v1/cases/{code}/decisions": route(
        "case",
        default=404,
        caseworker=422,
        commission=422,
        director=403,
        body={"kind": "commission", "decided_on": "2020-06-01", "recognised": True},
    ),
}
