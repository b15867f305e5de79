"""Writes of the residence track. Each step is atomic, checks the actor's role and
institution, validates against the law's numbers in the country profile, opens or
closes the deadlines it concerns, adds a case-timeline event and an audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import formats, validators
from thb.core.languages import current_language, languages
from thb.lib.workdays import (
    add_calendar_days,
    add_working_days,
    lasts_at_least_months,
    period_end,
)
from thb.profiles import get_profile
from thb.profiles.sections.residence import LegalBasis, ResidenceSection
from thb.residence.models import (
    LEGAL_BASIS_LENGTH,
    Deadline,
    DeadlineKind,
    PermitHolder,
    PermitRequest,
    RequestKind,
    ResidencePermit,
    ResidenceTrack,
    StatusBasis,
)
from thb.residence.policy import can_record_permit, is_caseworker, is_process_director
from thb.victims.models import Case, CaseStatus
from thb.victims.selectors import case_victim_status
from thb.victims.services import case_event_record


def _rules() -> ResidenceSection:
    return get_profile().residence


def _cite(basis: LegalBasis, language: str = "") -> str:

    return _rules().cite(basis, language or current_language())


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Scope of the law.


def out_of_scope_reason(case: Case) -> str | None:
    """Why the law does not apply to this person (None: it applies)."""
    profile = get_profile()
    citizenship = str(getattr(case.person.citizenship, "code", "") or "")
    if not citizenship:
        return _("The citizenship is not recorded; the residence track needs it.")
    if citizenship == profile.country.code:
        return _("The person is a citizen of this country; the residence law does not apply.")
    if citizenship in profile.country.eu_member_states:
        return _("The law does not apply to citizens of the European Union (%(basis)s).") % {
            "basis": _cite(_rules().out_of_scope_basis)
        }
    return None


def victim_status(case: Case) -> tuple[str, date | None]:
    """The victim status that opens the track and the day it was granted, as the victim
    register reads it (thb.victims.selectors.case_victim_status: one place)."""
    status = case_victim_status(case)
    if status is None:
        return "", None
    return StatusBasis(status.basis), status.granted_on


def _event(case: Case, actor: User | None, step: str, **data: Any) -> None:
    # The case's timeline belongs to the victims app: written through its service.
    case_event_record(case=case, actor=actor, kind=f"residence.{step}", data=data)


def _audit(actor: User | None, action: str, target: Any, **details: Any) -> None:
    audit_record(actor=actor, action=action, target=target, details=details)


def _check_not_future(field: str, value: date) -> None:
    validators.past_date(value, field=field)


def _check_not_before(field: str, value: date, earlier: date | None, what: str) -> None:
    if earlier is not None and value < earlier:
        raise ValidationError(
            {
                field: _("The date cannot be before %(what)s (%(date)s).")
                % {"what": what, "date": formats.day(earlier)}
            }
        )


# Deadlines.


def _open_deadline(
    *,
    track: ResidenceTrack,
    kind: str,
    basis: LegalBasis,
    started_by: str,
    started_on: date,
    due_on: date,
    institution: Institution,
    role: str,
) -> Deadline:
    deadline, created = Deadline.objects.get_or_create(
        track=track,
        kind=kind,
        defaults={
            # The notice's legal basis, cited in each of the profile's languages.
            "legal_basis": validators.language_map(
                {language: _cite(basis, language) for language in languages()},
                kind=LEGAL_BASIS_LENGTH,
                required=True,
                field="legal_basis",
            ),
            "started_by": started_by,
            "started_on": started_on,
            "due_on": due_on,
            "responsible_institution": institution,
            "responsible_role": role,
        },
    )
    if created:
        _audit(None, Action.CREATE, deadline, kind=kind, due_on=due_on)
    return deadline


def _close_deadline(track: ResidenceTrack, kind: str, *, met_by: str, met_on: date) -> None:
    for deadline in Deadline.objects.filter(
        track=track, kind=kind, met_on__isnull=True, cancelled_on__isnull=True
    ):
        deadline.met_by, deadline.met_on = met_by, met_on
        deadline.save(update_fields=["met_by", "met_on"])
        _audit(None, Action.UPDATE, deadline, kind=kind, met_on=met_on)


def _cancel_deadline(track: ResidenceTrack, kind: str, *, on: date) -> None:
    for deadline in Deadline.objects.filter(
        track=track, kind=kind, met_on__isnull=True, cancelled_on__isnull=True
    ):
        deadline.cancelled_on = on
        deadline.save(update_fields=["cancelled_on"])
        _audit(None, Action.UPDATE, deadline, kind=kind, cancelled_on=on)


def application_due_on(status_granted_on: date) -> date:
    return add_calendar_days(status_granted_on, _rules().rules.application_days.value)


def reflection_end_on(decided_on: date) -> date:
    return period_end(decided_on, _rules().rules.reflection_period_days.value)


def evaluation_due_on(reflection_end: date) -> date:
    """Three working days counted from the next working day after the period ends
    (the evaluation may also take place during the period)."""
    return add_working_days(reflection_end, _rules().rules.evaluation_working_days.value)


# The rules of each step, in one place: each `*_check` runs every independent rule and
# reports all failures together (with `errors`, a form's collector, added to it instead
# of raised), so a form shows them in one round with its own field errors
# (thb.core.forms.FormPattern). They read the track and never write; the step's service
# runs its check first. A value that did not parse in the form is passed as None and its
# rules are skipped.


def _collector(errors: validators.Collect | None) -> tuple[validators.Collect, bool]:
    return (validators.Collect(), True) if errors is None else (errors, False)


def _check_scope(case: Case) -> None:
    reason = out_of_scope_reason(case)
    if reason:
        raise ValidationError({"citizenship": reason})


def _track_of(case: Case) -> ResidenceTrack | None:
    return ResidenceTrack.objects.filter(case=case).first()


def _status_granted_on(case: Case, track: ResidenceTrack | None) -> date | None:
    """The day victim status was granted as the track will hold it (track_start copies
    it from the victim register when the track has none yet)."""
    if track is not None and track.status_granted_on is not None:
        return track.status_granted_on
    return victim_status(case)[1]


def information_check(
    case: Case, *, given_on: date | None, errors: validators.Collect | None = None
) -> None:
    errors, own = _collector(errors)
    with errors:
        _check_scope(case)
    if given_on is not None:
        with errors:
            _check_not_future("given_on", given_on)
    if own:
        errors.raise_if_any()


def application_check(
    case: Case,
    *,
    submitted_on: date | None,
    late_reason: str = "",
    errors: validators.Collect | None = None,
) -> bool:
    """The rules of an application for a reflection period; returns whether it is late."""
    errors, own = _collector(errors)
    late = False
    with errors:
        _check_scope(case)
    with errors:
        validators.text(late_reason, field="late_reason")
    if submitted_on is not None:
        with errors:
            _check_not_future("submitted_on", submitted_on)
        track = _track_of(case)
        granted_on = _status_granted_on(case, track)
        if errors.failed("citizenship"):
            pass
        elif granted_on is None:
            errors.add(
                ValidationError(
                    {
                        "submitted_on": _(
                            "The person has no victim status yet; the application "
                            "can be recorded once the status is granted."
                        )
                    }
                )
            )
        elif track is not None and track.reflection_decided_on is not None:
            errors.add(
                ValidationError({"submitted_on": _("The reflection period has been decided.")})
            )
        else:
            with errors:
                _check_not_before(
                    "submitted_on",
                    submitted_on,
                    granted_on,
                    _("the day victim status was granted"),
                )
            rule = _rules().rules.application_days
            due = application_due_on(granted_on)
            late = submitted_on > due
            if late and not (late_reason or "").strip():
                errors.add(
                    ValidationError(
                        {
                            "late_reason": _(
                                "The application is late: it is due within %(days)s days "
                                "after victim status was granted, by %(due)s (%(basis)s). "
                                "Record the reason to go on."
                            )
                            % {
                                "days": rule.value,
                                "due": formats.day(due),
                                "basis": _cite(rule.basis),
                            }
                        }
                    )
                )
    if own:
        errors.raise_if_any()
    return late


def reflection_decision_check(
    case: Case, *, decided_on: date | None, errors: validators.Collect | None = None
) -> None:
    errors, own = _collector(errors)
    with errors:
        _check_scope(case)
    if decided_on is not None:
        with errors:
            _check_not_future("decided_on", decided_on)
        track = _track_of(case)
        if errors.failed("citizenship"):
            pass
        elif track is None or track.application_on is None:
            errors.add(
                ValidationError(
                    {
                        "decided_on": _(
                            "Record the victim's application for a reflection period first."
                        )
                    }
                )
            )
        elif track.reflection_decided_on is not None:
            errors.add(
                ValidationError({"decided_on": _("The reflection period has been decided.")})
            )
        else:
            with errors:
                _check_not_before(
                    "decided_on", decided_on, track.application_on, _("the application")
                )
    if own:
        errors.raise_if_any()


def evaluation_check(
    case: Case, *, evaluated_on: date | None, errors: validators.Collect | None = None
) -> None:
    errors, own = _collector(errors)
    with errors:
        _check_scope(case)
    if evaluated_on is not None:
        with errors:
            _check_not_future("evaluated_on", evaluated_on)
        track = _track_of(case)
        granted_on = _status_granted_on(case, track)
        reflection_granted = track is not None and track.reflection_granted is True
        if errors.failed("citizenship"):
            pass
        elif granted_on is None:
            errors.add(ValidationError({"evaluated_on": _("The person has no victim status yet.")}))
        elif not reflection_granted and case.injured_party_on is None:
            errors.add(
                ValidationError(
                    {
                        "evaluated_on": _(
                            "The evaluation follows a granted reflection period or the "
                            "recognition as an injured party."
                        )
                    }
                )
            )
        else:
            with errors:
                _check_not_before(
                    "evaluated_on",
                    evaluated_on,
                    granted_on,
                    _("the day victim status was granted"),
                )
    if own:
        errors.raise_if_any()


def permit_request_check(
    case: Case,
    *,
    requested_on: date | None,
    months: int | None,
    migration_office: Institution | None,
    kind: str = RequestKind.INITIAL,
    accompanying_minor_children: int | None = 0,
    reasons: str = "",
    errors: validators.Collect | None = None,
) -> None:
    errors, own = _collector(errors)
    with errors:
        validators.text(reasons, field="reasons")
    if kind not in RequestKind.values:
        errors.add(ValidationError({"kind": _("Unknown code “%(value)s”.") % {"value": kind}}))
    if migration_office is not None and migration_office.kind != InstitutionKind.MIGRATION_OFFICE:
        errors.add(
            ValidationError(
                {"migration_office": _("Choose the Office of Citizenship and Migration Affairs.")}
            )
        )
    if accompanying_minor_children is not None:
        with errors:
            validators.children(accompanying_minor_children, field="accompanying_minor_children")
    if months is not None:
        with errors:
            _check_months(
                "months", validators.months(months, kind="residence_permit", field="months")
            )
    with errors:
        _check_scope(case)
    if requested_on is not None:
        with errors:
            _check_not_future("requested_on", requested_on)
        track = _track_of(case)
        if errors.failed("citizenship"):
            pass
        elif track is None or track.evaluated_on is None or not track.further_stay_useful:
            errors.add(
                ValidationError(
                    {
                        "requested_on": _(
                            "The request follows an evaluation that found further stay "
                            "helps the investigation or trial."
                        )
                    }
                )
            )
        elif track.keeps_contact_with_suspects:
            errors.add(
                ValidationError(
                    {
                        "requested_on": _(
                            "The evaluation found the victim keeps contact with suspects "
                            "or accused persons."
                        )
                    }
                )
            )
        else:
            with errors:
                _check_not_before(
                    "requested_on", requested_on, track.evaluated_on, _("the evaluation")
                )
            has_permit = ResidencePermit.objects.filter(
                request__track=track, holder=PermitHolder.VICTIM
            ).exists()
            if kind == RequestKind.EXTENSION and not has_permit:
                errors.add(
                    ValidationError({"kind": _("An extension needs a permit issued before.")})
                )
    if own:
        errors.raise_if_any()


def permit_check(
    request: PermitRequest,
    *,
    holder: str,
    issued_on: date | None,
    valid_from: date | None,
    valid_to: date | None,
    errors: validators.Collect | None = None,
) -> None:
    errors, own = _collector(errors)
    if holder == PermitHolder.CHILD:
        issued_to_children = request.permits.filter(holder=PermitHolder.CHILD).count()
        if issued_to_children >= request.accompanying_minor_children:
            errors.add(
                ValidationError(
                    {
                        "holder": _("The request names %(n)s accompanying minor children.")
                        % {"n": request.accompanying_minor_children}
                    }
                )
            )
    elif holder == PermitHolder.VICTIM:
        if request.permits.filter(holder=PermitHolder.VICTIM).exists():
            errors.add(
                ValidationError({"holder": _("A permit for the victim is recorded already.")})
            )
    else:
        errors.add(ValidationError({"holder": _("Unknown code “%(value)s”.") % {"value": holder}}))
    if issued_on is not None:
        with errors:
            _check_not_future("issued_on", issued_on)
        with errors:
            _check_not_before("issued_on", issued_on, request.requested_on, _("the request"))
    if valid_from is not None:
        with errors:
            validators.record_date(valid_from, field="valid_from")
    if valid_to is not None:
        with errors:
            validators.record_date(valid_to, field="valid_to")
    if (
        valid_from is not None
        and valid_to is not None
        and not errors.failed("valid_from", "valid_to")
    ):
        rule = _rules().rules.permit_min_months
        if valid_to < valid_from:
            errors.add(ValidationError({"valid_to": _("The end is before the start.")}))
        elif not lasts_at_least_months(valid_from, valid_to, rule.value):
            errors.add(
                ValidationError(
                    {
                        "valid_to": _(
                            "The permit is shorter than %(months)s months; a temporary "
                            "residence permit for a victim is issued for at least %(months)s "
                            "months (%(basis)s)."
                        )
                        % {"months": rule.value, "basis": _cite(rule.basis)}
                    }
                )
            )
    if own:
        errors.raise_if_any()


# The track.


@transaction.atomic
def track_start(*, actor: User | None, case: Case) -> ResidenceTrack:
    """Open the residence track of a non-EU foreign victim (idempotent). Opens the
    application deadline once victim status has been granted."""
    reason = out_of_scope_reason(case)
    if reason:
        raise ValidationError({"citizenship": reason})
    track, created = ResidenceTrack.objects.get_or_create(case=case)
    if created:
        _audit(actor, Action.CREATE, track, case=case.person.code)
    _sync_status(actor, track)
    return track


def _sync_status(actor: User | None, track: ResidenceTrack) -> None:
    basis, granted_on = victim_status(track.case)
    if granted_on is None or track.status_granted_on is not None:
        return
    track.status_basis, track.status_granted_on = basis, granted_on
    track.save(update_fields=["status_basis", "status_granted_on", "updated_at"])
    rule = _rules().rules.application_days
    _open_deadline(
        track=track,
        kind=DeadlineKind.APPLICATION,
        basis=rule.basis,
        started_by=f"victim_status.{basis}",
        started_on=granted_on,
        due_on=application_due_on(granted_on),
        institution=track.case.institution,
        role=Role.CASEWORKER,
    )


@transaction.atomic
def information_record(
    *, actor: User, case: Case, given_on: date, language: str = ""
) -> ResidenceTrack:
    """The caseworker gave the victim written information about the reflection period."""
    _require(is_caseworker(actor, case))
    information_check(case, given_on=given_on)
    track = track_start(actor=actor, case=case)
    track.information_given_on, track.information_language = given_on, language.strip()
    track.save(update_fields=["information_given_on", "information_language", "updated_at"])
    _event(case, actor, "information_given", given_on=given_on)
    _audit(actor, Action.UPDATE, track, step="information_given", given_on=given_on)
    return track


@transaction.atomic
def application_record(
    *, actor: User, case: Case, submitted_on: date, late_reason: str = ""
) -> tuple[ResidenceTrack, bool]:
    """The victim applied for a reflection period. An application later than the law
    allows is recorded only with a reason and stays flagged. Returns (track, late)."""
    _require(is_caseworker(actor, case))
    late = application_check(case, submitted_on=submitted_on, late_reason=late_reason)
    track = track_start(actor=actor, case=case)
    track.application_on = submitted_on
    track.application_late_reason = late_reason.strip() if late else ""
    track.save(update_fields=["application_on", "application_late_reason", "updated_at"])
    _close_deadline(
        track, DeadlineKind.APPLICATION, met_by="residence.application", met_on=submitted_on
    )
    _event(case, actor, "application", submitted_on=submitted_on, late=late)
    _audit(actor, Action.UPDATE, track, step="application", submitted_on=submitted_on, late=late)
    return track, late


@transaction.atomic
def reflection_decision_record(
    *, actor: User, case: Case, decided_on: date, granted: bool
) -> ResidenceTrack:
    """The process director's decision on the reflection period; a granted period
    runs 30 days from the decision day and opens the evaluation deadline."""
    _require(is_process_director(actor, case))
    reflection_decision_check(case, decided_on=decided_on)
    track = track_start(actor=actor, case=case)
    track.reflection_decided_on, track.reflection_granted = decided_on, granted
    if granted:
        track.reflection_start, track.reflection_end = decided_on, reflection_end_on(decided_on)
    track.save(
        update_fields=[
            "reflection_decided_on",
            "reflection_granted",
            "reflection_start",
            "reflection_end",
            "updated_at",
        ]
    )
    if granted and track.reflection_end is not None and track.evaluated_on is None:
        assert case.proceeding_institution is not None  # is_process_director checked it
        _open_deadline(
            track=track,
            kind=DeadlineKind.EVALUATION,
            basis=_rules().rules.evaluation_working_days.basis,
            started_by="residence.reflection_decision",
            started_on=decided_on,
            due_on=evaluation_due_on(track.reflection_end),
            institution=case.proceeding_institution,
            role=Role.PROCESS_DIRECTOR,
        )
    _event(
        case,
        actor,
        "reflection_decision",
        decided_on=decided_on,
        granted=granted,
        period_end=track.reflection_end,
    )
    _audit(
        actor,
        Action.UPDATE,
        track,
        step="reflection_decision",
        decided_on=decided_on,
        granted=granted,
    )
    return track


@transaction.atomic
def evaluation_record(
    *,
    actor: User,
    case: Case,
    evaluated_on: date,
    further_stay_useful: bool,
    keeps_contact_with_suspects: bool,
) -> ResidenceTrack:
    """The process director's evaluation of whether further stay helps the
    investigation or trial, and whether the victim keeps contact with suspects.
    Open to victims in a reflection period and to injured parties."""
    _require(is_process_director(actor, case))
    evaluation_check(case, evaluated_on=evaluated_on)
    track = track_start(actor=actor, case=case)
    track.evaluated_on = evaluated_on
    track.further_stay_useful = further_stay_useful
    track.keeps_contact_with_suspects = keeps_contact_with_suspects
    track.save(
        update_fields=[
            "evaluated_on",
            "further_stay_useful",
            "keeps_contact_with_suspects",
            "updated_at",
        ]
    )
    _close_deadline(
        track, DeadlineKind.EVALUATION, met_by="residence.evaluation", met_on=evaluated_on
    )
    if track.application_on is None:
        # An injured party evaluated without a reflection period: the application the
        # victim could have made no longer matters.
        _cancel_deadline(track, DeadlineKind.APPLICATION, on=evaluated_on)
    _event(
        case,
        actor,
        "evaluation",
        evaluated_on=evaluated_on,
        further_stay_useful=further_stay_useful,
        keeps_contact_with_suspects=keeps_contact_with_suspects,
    )
    _audit(actor, Action.UPDATE, track, step="evaluation", evaluated_on=evaluated_on)
    return track


def _check_months(field: str, months: int) -> None:
    rule = _rules().rules.permit_min_months
    if months < rule.value:
        raise ValidationError(
            {
                field: _(
                    "A temporary residence permit is requested for at least %(months)s months "
                    "(%(basis)s)."
                )
                % {"months": rule.value, "basis": _cite(rule.basis)}
            }
        )


@transaction.atomic
def permit_request_record(
    *,
    actor: User,
    case: Case,
    requested_on: date,
    months: int,
    migration_office: Institution,
    kind: str = RequestKind.INITIAL,
    accompanying_minor_children: int = 0,
    reasons: str = "",
) -> PermitRequest:
    """The process director requests PMLP to issue (or extend) a temporary residence
    permit for the victim and any accompanying minor children."""
    _require(is_process_director(actor, case))
    permit_request_check(
        case,
        requested_on=requested_on,
        months=months,
        migration_office=migration_office,
        kind=kind,
        accompanying_minor_children=accompanying_minor_children,
        reasons=reasons,
    )
    accompanying_minor_children = validators.children(
        accompanying_minor_children, field="accompanying_minor_children"
    )
    months = validators.months(months, kind="residence_permit", field="months")
    track = track_start(actor=actor, case=case)
    request = PermitRequest.objects.create(
        track=track,
        kind=kind,
        requested_on=requested_on,
        months=months,
        accompanying_minor_children=accompanying_minor_children,
        migration_office=migration_office,
        reasons=reasons.strip(),
        requested_by=actor,
    )
    _event(
        case,
        actor,
        "permit_request",
        requested_on=requested_on,
        request_kind=kind,
        months=months,
        children=accompanying_minor_children,
    )
    _audit(
        actor,
        Action.CREATE,
        request,
        kind=kind,
        months=months,
        children=accompanying_minor_children,
    )
    return request


@transaction.atomic
def permit_record(
    *,
    actor: User,
    request: PermitRequest,
    holder: str,
    issued_on: date,
    valid_from: date,
    valid_to: date,
) -> ResidencePermit:
    """PMLP records a temporary residence permit it issued on a request. A permit
    shorter than the law's minimum is refused."""
    _require(can_record_permit(actor, request))
    permit_check(
        request, holder=holder, issued_on=issued_on, valid_from=valid_from, valid_to=valid_to
    )
    permit = ResidencePermit.objects.create(
        request=request,
        holder=holder,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_to=valid_to,
        right_to_work=_rules().permit_gives_right_to_work,
        recorded_by=actor,
    )
    case = request.track.case
    _event(
        case,
        actor,
        "permit",
        holder=holder,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _audit(actor, Action.CREATE, permit, holder=holder, valid_from=valid_from, valid_to=valid_to)
    return permit


# Deadlines opened for cases nobody has touched yet (run by `thb deadlines notify`).


@transaction.atomic
def deadlines_open_for_new_victims(*, today: date | None = None) -> int:
    """Start the track of every non-EU victim whose status was granted recently and who
    has none, so the application deadline exists even before anyone opens the page.
    Returns how many tracks were started."""
    today = today or timezone.localdate()
    since = add_calendar_days(today, -_rules().open_deadlines_look_back_days)
    started = 0
    candidates = (
        Case.objects.filter(residence_track__isnull=True)
        .filter(
            # Either status opens the track.
            Q(status=CaseStatus.RECOGNISED, decided_on__range=(since, today))
            | Q(injured_party_on__range=(since, today))
        )
        .select_related("person", "institution")
    )
    for case in candidates:
        if out_of_scope_reason(case) is None:
            track_start(actor=None, case=case)
            started += 1
    return started
