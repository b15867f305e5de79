"""Writes of screenings. Each service is atomic, takes the acting user, checks the
screening policy, validates against the country profile's lists (thb/screening/
evaluate.py), writes the case timeline when a case is concerned, and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.screening.evaluate import current_version, evaluate
from thb.screening.models import Screening
from thb.screening.policy import ScreeningPolicy
from thb.victims.models import Case


@dataclass
class ScreeningInput:
    """A screening as a form or another app's service hands it over (the intake, a
    referral): `screening_record(actor, **asdict(...))` or `record_input`."""

    list_key: str
    indicators: Sequence[str] = field(default_factory=list)
    notes: str = ""
    screened_on: date | None = None


def _event(case: Case, actor: User, kind: str, screening: Screening) -> None:
    result = screening.result()
    # victims.services records the intake's screening through this app: imported here.
    from thb.victims.services import case_event_record

    case_event_record(
        case=case,
        actor=actor,
        kind=kind,
        data={
            "screening": screening.pk,
            "list": screening.list_key,
            "version": screening.profile_version,
            "sufficient": result.sufficient,
        },
    )


def screening_record(
    actor: User,
    *,
    list_key: str,
    indicators: Sequence[str],
    notes: str,
    screened_on: date,
    case: Case | None = None,
) -> Screening:
    """Record a screening at the actor's institution with the lists in force today;
    with a case, attached to it in the same transaction."""
    if not ScreeningPolicy.can_record(actor, case) or actor.institution is None:
        raise PermissionDenied(_("You may not record a screening here."))
    version = current_version().version
    result = evaluate(list_key, indicators, version=version)  # names an unknown code
    validators.past_date(screened_on, field="screened_on")
    notes = validators.text((notes or "").strip(), field="notes")
    with transaction.atomic():
        screening = Screening.objects.create(
            list_key=list_key,
            profile_version=version,
            indicators=[c for d in result.dimensions for c in d.indicators],
            notes=notes,
            screened_by=actor,
            institution=actor.institution,
            screened_on=screened_on,
            case=case,
        )
        if case is not None:
            _event(case, actor, "screening_recorded", screening)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=screening,
            details={
                "list": list_key,
                "version": version,
                "indicators": len(screening.indicators),
                "case": case.person.code if case is not None else "",
            },
        )
    return screening


def record_input(actor: User, screening: ScreeningInput, *, case: Case | None = None) -> Screening:
    """`screening_record` for a ScreeningInput (the screened_on date defaults to today)."""
    from django.utils import timezone

    return screening_record(
        actor,
        list_key=screening.list_key,
        indicators=list(screening.indicators),
        notes=screening.notes,
        screened_on=screening.screened_on or timezone.localdate(),
        case=case,
    )


def screening_attach(actor: User, screening: Screening, case: Case) -> Screening:
    """Attach a screening recorded without a case (with a referral) to the case opened
    for the person. The caller has obtained the screening through its own access
    helper (the referral's); this checks that the actor may edit the case."""
    if not ScreeningPolicy.can_attach(actor, case):
        raise PermissionDenied(_("Only the owning institution's caseworkers edit this case."))
    if screening.case_id is not None and screening.case_id != case.pk:
        raise ValidationError(
            {"case": _("The screening is already attached to another case.")},
            code="attached",
        )
    if screening.case_id == case.pk:
        return screening
    with transaction.atomic():
        screening.case = case
        screening.save(update_fields=["case"])
        _event(case, actor, "screening_attached", screening)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=screening,
            details={"fields": "case", "case": case.person.code},
        )
    return screening
