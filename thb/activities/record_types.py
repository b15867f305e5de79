"""The activity record types, described once and used by the services, the pages, the
API and the bulk import: which fields a type has, which profile code list each code
field takes, how a year filters it, which parent it belongs to, who may write it, and
the rules beyond the model's own.

Every type has an `institution` (the reporting institution) and an `external_id`; a
child record (a helpline contact, a participants line, a campaign material, a project
event) takes its parent's institution.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Role
from thb.activities.models import (
    ActivityRecord,
    Campaign,
    CampaignMaterial,
    Contribution,
    DetectionAggregate,
    DetectionRecord,
    Helpline,
    HelplineAggregate,
    HelplineContact,
    InternationalProject,
    ProjectEvent,
    ReachFigure,
    TrainingEvent,
    TrainingParticipation,
    TrainingTotal,
)
from thb.core import validators
from thb.profiles import get_profile

# Who may write a type unless it says otherwise (thb/activities/policy.py applies it).
WRITERS = (Role.REPORTER, Role.COORDINATOR)


def legal_basis_codes() -> list[str]:
    """Criminal Law sections of the common list plus the activities' own provisions."""
    profile = get_profile()
    return [s.code for s in profile.legal_sections] + profile.activities.codes("legal_bases")


def criminal_section_codes() -> list[str]:
    return [s.code for s in get_profile().legal_sections if s.law == "criminal_law"]


def profile_codes(name: str) -> Callable[[], list[str]]:
    def codes() -> list[str]:
        return get_profile().activities.codes(name)

    return codes


@dataclass(frozen=True)
class Parent:
    field: str
    """The foreign-key field on the child."""
    slug: str
    """The parent's record type."""
    key: str
    """The parent's field that names it in a file (its code or external id)."""


@dataclass(frozen=True)
class RecordType:
    slug: str
    model: type[ActivityRecord]
    label: Any
    label_plural: Any
    fields: list[str]
    """Fields the reporter fills in, in form order (parent first)."""
    columns: list[str]
    """Fields shown in the list."""
    year_q: Callable[[int], Q] | None
    codes: dict[str, Callable[[], list[str]]] = field(default_factory=dict)
    """Code fields and their allowed codes (blank allowed where the model allows it)."""
    multi_codes: dict[str, Callable[[], list[str]]] = field(default_factory=dict)
    """List fields (JSON) and the codes each item may take."""
    parent: Parent | None = None
    write_roles: tuple[str, ...] = WRITERS
    aggregate: bool = False
    """An aggregate return: shown and exported marked as such."""
    rules: Callable[[ActivityRecord], dict[str, str]] | None = None
    """Cross-field and cross-record checks: {field: message}."""
    batch_rules: Callable[[int], Callable[[ActivityRecord], dict[str, str]]] | None = None
    """The same checks for many records of one institution at once (bulk import): reads
    what that institution's records need in a constant number of queries and returns
    the per-record check, which reads nothing more (a large import runs it in worker
    processes without database access). When given, `rules` is
    `batch_rules(institution)(record)`, so the rule is written once."""
    group: str = "detection"


def _year_of(value: date | None) -> int | None:
    return value.year if value is not None else None


def _detection_batch(institution_id: int) -> Callable[[ActivityRecord], dict[str, str]]:
    """The rules of one institution's detection records: its aggregate returns (kind
    and year) are read in one query."""
    returns = set(
        DetectionAggregate.objects.filter(institution_id=institution_id).values_list(
            "institution_id", "kind", "year"
        )
    )
    sections = set(criminal_section_codes())

    def rules(record: ActivityRecord) -> dict[str, str]:
        assert isinstance(record, DetectionRecord)
        errors: dict[str, str] = {}
        if record.kind == "criminal_proceeding" and record.legal_basis not in sections:
            errors["legal_basis"] = _("A criminal proceeding needs its Criminal Law section.")
        if record.date and (record.institution_id, record.kind, record.date.year) in returns:
            errors["kind"] = _(
                "Your institution has an aggregate return for this kind of activity in "
                "%(year)s; enter records or the aggregate, not both."
            ) % {"year": record.date.year}
        return errors

    return rules


def _detection_rules(record: ActivityRecord) -> dict[str, str]:
    return _detection_batch(record.institution_id)(record)


def _detection_aggregate_rules(record: ActivityRecord) -> dict[str, str]:
    assert isinstance(record, DetectionAggregate)
    errors: dict[str, str] = {}
    # (The rules run beside the fields' own checks: a field that failed is None here.)
    related, value = record.thb_related_value, record.value
    if related is not None and value is not None and related > value:
        errors["thb_related_value"] = _("Cannot be more than the value.")
    if record.year is None or not record.kind:
        return errors
    if DetectionRecord.objects.filter(
        institution_id=record.institution_id, kind=record.kind, date__year=record.year
    ).exists():
        errors["kind"] = _(
            "Your institution has records of this kind of activity in %(year)s; "
            "enter records or the aggregate, not both."
        ) % {"year": record.year}
    return errors


def _dates_rules(start: str, end: str) -> Callable[[ActivityRecord], dict[str, str]]:
    def rules(record: ActivityRecord) -> dict[str, str]:
        first, last = getattr(record, start), getattr(record, end)
        if first and last and last < first:
            return {end: _("Cannot be before the start date.")}
        return {}

    return rules


def _helpline_contact_batch(institution_id: int) -> Callable[[ActivityRecord], dict[str, str]]:
    """The rules of the contacts of one institution's lines: the lines' aggregate
    returns are read in one query, then each contact is checked against them."""
    aggregates: dict[int, list[HelplineAggregate]] = {}
    for aggregate in HelplineAggregate.objects.filter(helpline__institution_id=institution_id).only(
        "helpline_id", "period_start", "period_end", "channel"
    ):
        aggregates.setdefault(aggregate.helpline_id, []).append(aggregate)

    zone = timezone.get_default_timezone()

    def rules(record: ActivityRecord) -> dict[str, str]:
        assert isinstance(record, HelplineContact)
        errors: dict[str, str] = {}
        line = record.helpline
        if record.channel and line.channels and record.channel not in line.channels:
            errors["channel"] = _("This line does not take contacts by this channel.")
        if record.received_at:
            day = record.received_at.astimezone(zone).date()
            if any(
                a.period_start <= day <= a.period_end and a.channel in ("", record.channel)
                for a in aggregates.get(record.helpline_id or 0, ())
            ):
                errors["received_at"] = _(
                    "An aggregate return of this line covers this date; "
                    "enter single contacts or the aggregate, not both."
                )
        return errors

    return rules


def _helpline_contact_rules(record: ActivityRecord) -> dict[str, str]:
    assert isinstance(record, HelplineContact)
    return _helpline_contact_batch(record.helpline.institution_id)(record)


def _helpline_aggregate_rules(record: ActivityRecord) -> dict[str, str]:
    assert isinstance(record, HelplineAggregate)
    errors = _dates_rules("period_start", "period_end")(record)
    counted = record.thb_related is not None and record.contacts is not None
    if counted and record.thb_related > record.contacts:
        errors["thb_related"] = _("Cannot be more than the contacts.")
    if record.period_start and record.period_end:
        contacts = HelplineContact.objects.filter(
            helpline=record.helpline,
            received_at__date__gte=record.period_start,
            received_at__date__lte=record.period_end,
        )
        if record.channel:
            contacts = contacts.filter(channel=record.channel)
        if contacts.exists():
            errors["period_start"] = _(
                "The line has single contacts in this period; "
                "enter single contacts or the aggregate, not both."
            )
    return errors


def _training_event_rules(record: ActivityRecord) -> dict[str, str]:
    assert isinstance(record, TrainingEvent)
    errors = _dates_rules("start_date", "end_date")(record)
    if not record.own_event and not record.organiser.strip():
        errors["organiser"] = _("Name the organiser of an event you did not organise.")
    if record.sessions is not None and record.sessions < 1:
        errors["sessions"] = _("At least one session.")
    return errors


def _participation_rules(record: ActivityRecord) -> dict[str, str]:
    assert isinstance(record, TrainingParticipation)
    if record.count is not None and record.count < 1:
        return {"count": _("At least one participant.")}
    return {}


def _contribution_rules(record: ActivityRecord) -> dict[str, str]:
    assert isinstance(record, Contribution)
    if record.amount_eur is not None and record.amount_eur <= 0:
        return {"amount_eur": _("The amount must be more than zero.")}
    return {}


def _project_year(year: int) -> Q:
    return Q(start_date__year__lte=year) & (Q(end_date__isnull=True) | Q(end_date__year__gte=year))


def _countries() -> list[str]:
    from django_countries import countries

    return [country.code for country in countries]


TYPES: dict[str, RecordType] = {}


def _add(record_type: RecordType) -> None:
    TYPES[record_type.slug] = record_type


_add(
    RecordType(
        slug="detection",
        model=DetectionRecord,
        label=gettext_lazy("detection record"),
        label_plural=gettext_lazy("Detection records"),
        fields=[
            "kind",
            "date",
            "count",
            "place_type",
            "legal_basis",
            "thb_related",
            "reference",
            "notes",
        ],
        columns=["date", "kind", "count", "place_type", "legal_basis", "thb_related"],
        year_q=lambda year: Q(date__year=year),
        codes={
            "kind": profile_codes("detection_kinds"),
            "place_type": profile_codes("place_types"),
            "legal_basis": legal_basis_codes,
        },
        rules=_detection_rules,
        batch_rules=_detection_batch,
    )
)
_add(
    RecordType(
        slug="detection-aggregate",
        model=DetectionAggregate,
        label=gettext_lazy("detection aggregate return"),
        label_plural=gettext_lazy("Detection aggregate returns"),
        fields=["kind", "year", "value", "thb_related_value", "basis", "source", "notes"],
        columns=["year", "kind", "value", "thb_related_value", "basis"],
        year_q=lambda year: Q(year=year),
        codes={"kind": profile_codes("detection_kinds")},
        aggregate=True,
        rules=_detection_aggregate_rules,
    )
)
_add(
    RecordType(
        slug="helplines",
        model=Helpline,
        label=gettext_lazy("helpline"),
        label_plural=gettext_lazy("Helplines"),
        fields=[
            "code",
            "name",
            "number",
            "hours",
            "channels",
            "languages",
            "started_on",
            "ended_on",
            "notes",
        ],
        columns=["name", "number", "hours", "channels", "languages"],
        year_q=None,
        multi_codes={
            "channels": profile_codes("helpline_channels"),
            "languages": profile_codes("contact_languages"),
        },
        rules=_dates_rules("started_on", "ended_on"),
        group="helplines",
    )
)
_add(
    RecordType(
        slug="helpline-contacts",
        model=HelplineContact,
        label=gettext_lazy("helpline contact"),
        label_plural=gettext_lazy("Helpline contacts"),
        fields=["helpline", "received_at", "channel", "thb_related", "language", "topic", "notes"],
        columns=["received_at", "helpline", "channel", "thb_related", "language", "topic"],
        year_q=lambda year: Q(received_at__year=year),
        codes={
            "channel": profile_codes("helpline_channels"),
            "language": profile_codes("contact_languages"),
            "topic": profile_codes("helpline_topics"),
        },
        parent=Parent("helpline", "helplines", "code"),
        rules=_helpline_contact_rules,
        batch_rules=_helpline_contact_batch,
        group="helplines",
    )
)
_add(
    RecordType(
        slug="helpline-aggregates",
        model=HelplineAggregate,
        label=gettext_lazy("helpline aggregate return"),
        label_plural=gettext_lazy("Helpline aggregate returns"),
        fields=[
            "helpline",
            "period_start",
            "period_end",
            "channel",
            "contacts",
            "thb_related",
            "source",
            "notes",
        ],
        columns=["period_start", "period_end", "helpline", "channel", "contacts", "thb_related"],
        year_q=lambda year: Q(period_start__year=year),
        codes={"channel": profile_codes("helpline_channels")},
        parent=Parent("helpline", "helplines", "code"),
        aggregate=True,
        rules=_helpline_aggregate_rules,
        group="helplines",
    )
)
_add(
    RecordType(
        slug="training-events",
        model=TrainingEvent,
        label=gettext_lazy("training event"),
        label_plural=gettext_lazy("Training events"),
        fields=[
            "title",
            "own_event",
            "organiser",
            "event_type",
            "format",
            "start_date",
            "end_date",
            "sessions",
            "duration_minutes",
            "notes",
        ],
        columns=["start_date", "title", "event_type", "format", "sessions", "own_event"],
        year_q=lambda year: Q(start_date__year=year),
        codes={
            "event_type": profile_codes("training_event_types"),
            "format": profile_codes("training_formats"),
        },
        rules=_training_event_rules,
        group="training",
    )
)
_add(
    RecordType(
        slug="training-participants",
        model=TrainingParticipation,
        label=gettext_lazy("training participants"),
        label_plural=gettext_lazy("Training participants"),
        fields=["event", "participant_group", "profession", "count", "notes"],
        columns=["event", "participant_group", "profession", "count"],
        year_q=lambda year: Q(event__start_date__year=year),
        codes={
            "participant_group": profile_codes("participant_groups"),
            "profession": profile_codes("professions"),
        },
        parent=Parent("event", "training-events", "external_id"),
        rules=_participation_rules,
        group="training",
    )
)
_add(
    RecordType(
        slug="training-totals",
        model=TrainingTotal,
        label=gettext_lazy("training total"),
        label_plural=gettext_lazy("Training totals (aggregate returns)"),
        fields=["year", "participants", "source", "notes"],
        columns=["year", "participants", "source"],
        year_q=lambda year: Q(year=year),
        # The headline total is what the coordinator collects, so only it writes one.
        write_roles=(Role.COORDINATOR,),
        aggregate=True,
        group="training",
    )
)
_add(
    RecordType(
        slug="campaigns",
        model=Campaign,
        label=gettext_lazy("awareness campaign"),
        label_plural=gettext_lazy("Awareness campaigns"),
        fields=[
            "title",
            "organisers",
            "start_date",
            "end_date",
            "description",
            "reach",
            "reach_note",
            "notes",
        ],
        columns=["start_date", "title", "organisers", "reach"],
        year_q=lambda year: Q(start_date__year=year),
        rules=_dates_rules("start_date", "end_date"),
        group="awareness",
    )
)
_add(
    RecordType(
        slug="campaign-materials",
        model=CampaignMaterial,
        label=gettext_lazy("campaign material"),
        label_plural=gettext_lazy("Campaign materials"),
        fields=["campaign", "kind", "title", "topic", "subtitle_languages", "notes"],
        columns=["campaign", "kind", "title", "topic", "subtitle_languages"],
        year_q=lambda year: Q(campaign__start_date__year=year),
        codes={
            "kind": profile_codes("campaign_material_kinds"),
            "topic": profile_codes("campaign_topics"),
        },
        multi_codes={"subtitle_languages": profile_codes("contact_languages")},
        parent=Parent("campaign", "campaigns", "external_id"),
        group="awareness",
    )
)
_add(
    RecordType(
        slug="reach",
        model=ReachFigure,
        label=gettext_lazy("reach figure"),
        label_plural=gettext_lazy("Website and social-media reach"),
        fields=["year", "channel", "metric", "value", "notes"],
        columns=["year", "channel", "metric", "value"],
        year_q=lambda year: Q(year=year),
        codes={
            "channel": profile_codes("reach_channels"),
            "metric": profile_codes("reach_metrics"),
        },
        group="awareness",
    )
)
_add(
    RecordType(
        slug="projects",
        model=InternationalProject,
        label=gettext_lazy("international project"),
        label_plural=gettext_lazy("International projects"),
        fields=[
            "code",
            "title",
            "role",
            "lead_partner",
            "partner_countries",
            "start_date",
            "end_date",
            "funding",
            "notes",
        ],
        columns=["title", "role", "lead_partner", "partner_countries", "start_date", "end_date"],
        year_q=_project_year,
        codes={"role": profile_codes("project_roles")},
        multi_codes={"partner_countries": _countries},
        rules=_dates_rules("start_date", "end_date"),
        group="international",
    )
)
_add(
    RecordType(
        slug="project-events",
        model=ProjectEvent,
        label=gettext_lazy("project event"),
        label_plural=gettext_lazy("Project events"),
        fields=[
            "project",
            "code",
            "title",
            "date",
            "format",
            "participants",
            "video_views",
            "notes",
        ],
        columns=["date", "project", "title", "format", "participants", "video_views"],
        year_q=lambda year: Q(date__year=year),
        codes={"format": profile_codes("training_formats")},
        parent=Parent("project", "projects", "code"),
        group="international",
    )
)
_add(
    RecordType(
        slug="contributions",
        model=Contribution,
        label=gettext_lazy("international contribution"),
        label_plural=gettext_lazy("International contributions"),
        fields=["year", "recipient", "amount_eur", "purpose", "notes"],
        columns=["year", "recipient", "amount_eur", "purpose"],
        year_q=lambda year: Q(year=year),
        codes={"recipient": profile_codes("international_bodies")},
        rules=_contribution_rules,
        group="international",
    )
)

# Which profile list labels a code field's values, for display.
LABEL_LISTS: dict[tuple[str, str], str] = {
    ("detection", "kind"): "detection_kinds",
    ("detection-aggregate", "kind"): "detection_kinds",
    ("detection", "place_type"): "place_types",
    ("helplines", "channels"): "helpline_channels",
    ("helpline-contacts", "channel"): "helpline_channels",
    ("helpline-contacts", "topic"): "helpline_topics",
    ("helpline-aggregates", "channel"): "helpline_channels",
    ("training-events", "event_type"): "training_event_types",
    ("training-events", "format"): "training_formats",
    ("training-participants", "participant_group"): "participant_groups",
    ("training-participants", "profession"): "professions",
    ("campaign-materials", "kind"): "campaign_material_kinds",
    ("campaign-materials", "topic"): "campaign_topics",
    ("reach", "channel"): "reach_channels",
    ("reach", "metric"): "reach_metrics",
    ("projects", "role"): "project_roles",
    ("project-events", "format"): "training_formats",
    ("contributions", "recipient"): "international_bodies",
}


def record_year(record: ActivityRecord) -> int | None:
    """The reporting year a record belongs to (None for lines and projects, which span
    years): an accepted yearly submission locks that year's records."""
    for name in ("year", "date", "received_at", "start_date", "period_start"):
        value = getattr(record, name, None)
        if isinstance(value, int):
            return value
        if isinstance(value, date):
            return value.year
    if isinstance(record, TrainingParticipation) and record.event_id:
        return record.event.start_date.year
    if isinstance(record, CampaignMaterial) and record.campaign_id:
        return record.campaign.start_date.year
    return None


def get_type(slug: str) -> RecordType:
    return TYPES[slug]


def record_type_of(record: models.Model) -> RecordType:
    for record_type in TYPES.values():
        if isinstance(record, record_type.model):
            return record_type
    raise KeyError(type(record).__name__)


def check_codes(
    record_type: RecordType,
    record: ActivityRecord,
    allowed_codes: dict[str, set[str]] | None = None,
) -> dict[str, str]:
    """Every code field within the profile's codes. `allowed_codes` keeps the code sets
    across the records of a bulk import (read from the profile once)."""
    errors: dict[str, str] = {}
    for name, codes in record_type.codes.items():
        value = getattr(record, name)
        if value in ("", None):
            continue
        if allowed_codes is not None:
            if name not in allowed_codes:
                allowed_codes[name] = set(codes())
            known = value in allowed_codes[name]
        else:
            known = value in codes()
        if not known:
            errors[name] = _("%(value)s is not one of the allowed codes.") % {"value": value}
    for name, codes in record_type.multi_codes.items():
        values = getattr(record, name) or []
        if not isinstance(values, list):
            errors[name] = _("Give a list of codes.")
            continue
        allowed = set(codes())
        bad = [str(v) for v in values if v not in allowed]
        if bad:
            errors[name] = _("Not allowed codes: %(codes)s.") % {"codes": ", ".join(bad)}
    return errors


def bound(record_type: RecordType, name: str) -> Callable[[Any], Any] | None:
    """The validator of thb.core.validators that bounds a field of a record type, by the
    model field's kind: the form, the service and the import all use this one."""
    field = record_type.model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        # The only amounts among activities are international contributions.
        return functools.partial(validators.amount, kind="funding", allow_zero=False)
    if isinstance(field, models.PositiveSmallIntegerField) and name == "year":
        return validators.year
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        return validators.count
    if isinstance(field, models.DateTimeField):
        return validators.moment
    if isinstance(field, models.DateField):
        return validators.past_date
    if isinstance(field, models.CharField):
        return functools.partial(validators.text, kind=field.max_length or "line")
    if isinstance(field, models.TextField):
        return functools.partial(validators.text, kind="notes")
    return None


def check_bounds(
    record_type: RecordType,
    record: ActivityRecord,
    checks: dict[str, Callable[[Any], Any] | None] | None = None,
) -> dict[str, str]:
    """Every number and date of the record within the profile's limits. `checks` keeps
    each field's validator across the records of a bulk import."""
    errors: dict[str, str] = {}
    for name in record_type.fields:
        if checks is None:
            check = bound(record_type, name)
        else:
            if name not in checks:
                checks[name] = bound(record_type, name)
            check = checks[name]
        value = getattr(record, name, None)
        if check is None or value is None or value == "":
            continue
        try:
            check(value)
        except ValidationError as exc:
            errors[name] = " ".join(exc.messages)
    return errors


def validation_error(errors: dict[str, str]) -> ValidationError:
    return ValidationError({name: [message] for name, message in errors.items()})
