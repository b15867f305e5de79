"""Who may see and do what with referrals: the only place the rule is written.

- Referring: an active user in the reporter or process-director role at an
  institution whose kind the profile lists among `referral.referring_kinds` (police,
  border guard, labour inspectorate, migration office, consuls, social services,
  children's rights inspectorate). The officer who meets the person is either the
  process director of a proceeding or the institution's reporter; caseworkers,
  commission members, coordinators and the like never refer.
- Receiving: the caseworkers of an institution whose kind is among
  `referral.receiving_kinds` (service providers), for referrals addressed to it.
- The referring institution sees its referrals' status (sent, acknowledged,
  accepted, declined with the reason) but never the case the referral became: the
  case is opened only through the victim register's policy.
- The identity in a referral is decrypted only by `identity_for`, for the provider's
  caseworkers while the referral is theirs and for the officer who sent it; every
  read is audited.
- Anonymous notifications are sent by the same referring users and seen by their
  institution; they hold no identity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from thb.accounts.models import Institution, Role, User
from thb.core.routes import Route, ok, route
from thb.profiles import get_profile

if TYPE_CHECKING:
    from django.http import HttpRequest

    from thb.referrals.models import Referral, ReferralIdentity

REFERRER_ROLES = (Role.REPORTER, Role.PROCESS_DIRECTOR)
RECEIVER_ROLES = (Role.CASEWORKER,)


def _kind(actor: User) -> str:
    institution = actor.institution if actor.institution_id is not None else None
    return institution.kind if institution is not None else ""


def is_referring_institution(institution: Institution) -> bool:
    return institution.kind in get_profile().referral.codes("referring_kinds")


def is_receiving_institution(institution: Institution) -> bool:
    return Institution.objects.filter(receiving_institutions(), pk=institution.pk).exists()


def receiving_institutions() -> Q:
    """The institutions a referral may be addressed to (a filter on Institution)."""
    return Q(active=True, kind__in=get_profile().referral.receiving_kinds)


def can_refer(actor: User) -> bool:
    return actor.has_role(*REFERRER_ROLES) and _kind(actor) in get_profile().referral.codes(
        "referring_kinds"
    )


def can_receive(actor: User) -> bool:
    return (
        actor.has_role(*RECEIVER_ROLES) and _kind(actor) in get_profile().referral.receiving_kinds
    )


def can_use(actor: User) -> bool:
    """The referral pages open at all (the object rule is `scope`)."""
    return can_refer(actor) or can_receive(actor)


def can_notify(actor: User) -> bool:
    """Anonymous notifications are sent by the users who refer."""
    return can_refer(actor)


def scope(actor: User) -> Q | None:
    """The referrals the actor may open: its institution's, on the side it works on."""
    if can_refer(actor):
        return Q(referring_institution_id=actor.institution_id)
    if can_receive(actor):
        return Q(provider_id=actor.institution_id)
    return None


def notification_scope(actor: User) -> Q | None:
    if can_notify(actor):
        return Q(institution_id=actor.institution_id)
    return None


class ReferralPolicy:
    """The actor's rights on one referral."""

    def __init__(self, actor: User, referral: Referral) -> None:
        self.actor = actor
        self.referral = referral

    @property
    def is_provider(self) -> bool:
        return can_receive(self.actor) and self.actor.institution_id == self.referral.provider_id

    @property
    def is_referrer(self) -> bool:
        return (
            can_refer(self.actor)
            and self.actor.institution_id == self.referral.referring_institution_id
        )

    @property
    def can_view(self) -> bool:
        return self.is_provider or self.is_referrer

    @property
    def can_answer(self) -> bool:
        """Acknowledge, accept or decline: the provider's caseworkers, while open."""
        return self.is_provider and self.referral.is_open

    @property
    def can_acknowledge(self) -> bool:
        return self.can_answer and self.referral.acknowledged_at is None

    @property
    def can_see_identity(self) -> bool:
        if self.is_provider:
            return True
        return self.is_referrer and self.referral.referred_by_id == self.actor.pk

    @property
    def can_open_case(self) -> bool:
        """The link to the case: only where the victim register lets the actor in."""
        return self.is_provider and self.referral.case_id is not None

    def as_dict(self) -> dict[str, bool]:
        return {
            "answer": self.can_answer,
            "acknowledge": self.can_acknowledge,
            "identity": self.can_see_identity,
            "case": self.can_open_case,
            "provider": self.is_provider,
        }


def identity_for(
    actor: User, referral: Referral, request: HttpRequest | None = None
) -> ReferralIdentity | None:
    """The one way to decrypt the identity in a referral: None unless the policy allows
    the actor to see it; every decryption is audited."""
    from thb.audit.services import audit_read
    from thb.referrals.models import ReferralIdentity

    if not ReferralPolicy(actor, referral).can_see_identity:
        return None
    identity = ReferralIdentity.objects.filter(referral_id=referral.pk).first()
    if identity is not None:
        audit_read(
            actor=actor,
            target=identity,
            request=request,
            purpose="referral_identity",
            reference=referral.reference,
        )
    return identity


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
# The personas' institutions in the demo: the process director and the migration
# office refer from the State Police and PMLP, the reporter from the Border Guard,
# the caseworker receives at Drošā māja.
REFERRAL_USERS = ("caseworker", "director", "reporter", "migration")
REFERRERS = ("director", "reporter", "migration")
ROUTES: dict[str, Route] = {
    "referrals:list": ok(*REFERRAL_USERS),
    "referrals:create": ok(*REFERRERS),
    "referrals:notify": ok(*REFERRERS),
    "referrals:detail": ok(*REFERRAL_USERS, kind="referral"),
    "referrals:decline": route(
        "referral", caseworker=200, director=(403, 404), reporter=(403, 404), migration=(403, 404)
    ),
    "referrals:accept": route(
        "referral", caseworker=200, director=(403, 404), reporter=(403, 404), migration=(403, 404)
    ),
    "GET /api/v1/referrals/": ok(*REFERRAL_USERS),
    "GET /api/v1/referrals/{reference}": ok(*REFERRAL_USERS, kind="referral", default=403),
}
