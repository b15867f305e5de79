"""The justice measures of the report's figure catalogue (profiles/<cc>/figures-justice.yaml).

Every measure takes the figures that name it and answers them with one aggregate query
per group of Criminal Law sections (the `sections` filter): each figure is a filtered
COUNT or SUM of that query, so the database does the counting.

Filters shared by the measures:
- sections: a group of the profile's legal_sections ("trafficking", "related"), one
  section code ("165") or a list of codes; the proceedings under any of them count.

The counting rules (kept from the first version of the statistics):
- a proceeding started in the year counts once, whatever number of sections it is under;
- suspects are those of the proceedings started in the year, recognised by its end;
- a court stage counts the court's receipts or examinations in the year (a case sent back
  and examined again counts again); pending cases are those a court level has received
  more often than examined before the date;
- a convicted person counts in the year of the first conviction in the proceeding under
  the sections, so an appeal upholding it does not count the person again; the sentence
  is that of the first conviction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from thb.core.aggregates import Year, aggregate_years, number
from thb.core.registry import (
    Number,
    register_measure,
    register_record_years,
    register_report_records,
)
from thb.justice.models import (
    InjuredParty,
    Judgment,
    JudgmentPerson,
    NonPunishmentDecision,
    NonPunishmentOutcome,
    Outcome,
    Proceeding,
    ProceedingSection,
    PropertyArrest,
    StageEvent,
    StageKind,
    Suspect,
)
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef

ROLES = ("suspects", "convicted")
SEXES = ("male", "female", "unknown")
STAGES = (
    "transferred_for_prosecution",
    "sent_to_prosecution",
    "first_instance",
    "appeal",
    "cassation",
)
COURT_EVENTS = ("received", "examined", "pending_at_start", "pending_at_end")
COUNTS = ("cases", "persons")
PENALTIES = ("deprivation_conditional", "deprivation_real", "probation", "fine")
SENTENCE_VALUES = ("persons", "min_months", "max_months", "total_eur")
NON_PUNISHMENT_KINDS = ("penalties_applied", "released_administrative", "released_criminal")

# The stage kinds of each court level: (received, examined).
COURT_KINDS = {
    "first_instance": (StageKind.FIRST_INSTANCE_RECEIVED, StageKind.FIRST_INSTANCE_EXAMINED),
    "appeal": (StageKind.APPEAL_RECEIVED, StageKind.APPEAL_EXAMINED),
    "cassation": (StageKind.CASSATION_RECEIVED, StageKind.CASSATION_EXAMINED),
}
SINGLE_KINDS = {
    "transferred_for_prosecution": StageKind.TRANSFERRED_FOR_PROSECUTION,
    "sent_to_prosecution": StageKind.SENT_TO_PROSECUTION,
}


# Filters -------------------------------------------------------------------------------


def section_codes(value: Any) -> tuple[str, ...]:
    """The section codes a `sections` filter names: a group of the profile's
    legal_sections (e.g. trafficking, related), a code or a list of codes (ValueError
    naming the unknown ones)."""
    profile = get_profile()
    known = {section.code: section for section in profile.legal_sections}
    groups = {section.group for section in profile.legal_sections}
    if isinstance(value, str) and value in groups and value not in known:
        return tuple(s.code for s in profile.legal_sections if s.group == value)
    codes = [value] if isinstance(value, str) else list(value or [])
    if not codes:
        raise ValueError("filter sections is required (a group of legal_sections, or codes)")
    unknown = [str(code) for code in codes if code not in known]
    if unknown:
        raise ValueError(f"sections: {', '.join(unknown)} is not a code of legal_sections")
    return tuple(str(code) for code in codes)


def _proceedings_under(codes: Sequence[str]) -> QuerySet[ProceedingSection, Any]:
    """Ids of the proceedings under any of the sections (a subquery, no duplicates)."""
    return ProceedingSection.objects.filter(code__in=list(codes)).values("proceeding_id")


def _by_sections(figures: Sequence[FigureDef]) -> dict[tuple[str, ...], list[FigureDef]]:
    groups: dict[tuple[str, ...], list[FigureDef]] = defaultdict(list)
    for figure in figures:
        groups[section_codes(figure.filter("sections"))].append(figure)
    return groups


def _choice(
    figure: FigureDef, name: str, allowed: Sequence[str], default: str | None = None
) -> str:
    value = figure.filter(name, default)
    if value not in allowed:
        raise ValueError(f"filter {name} must be one of {', '.join(allowed)}")
    return str(value)


def _person_q(figure: FigureDef, prefix: str = "") -> Q:
    q = Q()
    sex = figure.filter("sex")
    if sex is not None:
        q &= Q(**{f"{prefix}sex": sex})
    citizenship = figure.filter("citizenship")
    if citizenship is not None:
        q &= Q(**{f"{prefix}citizenship": "" if citizenship == "unknown" else citizenship})
    return q


# Measures ------------------------------------------------------------------------------


def _form_codes(form: str) -> list[str]:
    """The exploitation-form codes a proceeding of headline form `form` may carry."""
    forms = get_profile().exploitation_forms
    return [f.code for f in forms if f.code == form or f.headline == form]


Years = Sequence[int]
YearsValues = dict[int, dict[str, Number]]


def _numbers(found: Mapping[int, Mapping[str, Any]], into: YearsValues) -> None:
    """Adds each year's aggregate values to `into`, as the report prints them."""
    for year, values in found.items():
        into.setdefault(year, {}).update({key: number(value) for key, value in values.items()})


def _each_year(
    compute: Callable[[Years, Sequence[FigureDef]], YearsValues],
) -> Callable[[int, Sequence[FigureDef]], Mapping[str, Number]]:
    """The one-year form of a measure that answers several years in one pass."""

    def one(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
        return compute([year], figures)[year]

    return one


def _proceedings(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """justice.proceedings: proceedings started in the year (filter form: the headline
    exploitation form, or "unknown" where none was recorded). One query per group of
    sections, grouped by the year started."""
    out: YearsValues = {year: {} for year in years}
    for codes, group in _by_sections(figures).items():
        under = Proceeding.objects.filter(id__in=_proceedings_under(codes))
        expressions = {}
        for figure in group:
            form = figure.filter("form")
            if form is None:
                q = Q()
            elif form == "unknown":
                q = Q(exploitation_form="")
            else:
                q = Q(exploitation_form__in=_form_codes(str(form)))
            expressions[figure.id] = Count("id", filter=q)
        _numbers(aggregate_years(under, "started_on", years, expressions), out)
    return out


def _injured_parties(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """justice.injured_parties: injured parties of the proceedings started in the year,
    recognised by the end of the year."""
    out: YearsValues = {year: {} for year in years}
    for codes, group in _by_sections(figures).items():
        parties = (
            InjuredParty.objects.filter(proceeding_id__in=_proceedings_under(codes))
            .alias(recognised=Year("recognised_on"), started=Year("proceeding__started_on"))
            .filter(recognised__lte=F("started"))
        )
        expressions = {f.id: Count("id", filter=_person_q(f)) for f in group}
        _numbers(aggregate_years(parties, "proceeding__started_on", years, expressions), out)
    return out


def first_convictions(year: int, codes: Sequence[str]) -> QuerySet[JudgmentPerson]:
    """One row per person convicted under the sections whose first conviction (in date
    order) falls in the year: the row of that first conviction, with its sentence."""
    return first_convictions_of(codes).filter(judgment__delivered_on__year=year)


def first_convictions_of(codes: Sequence[str]) -> QuerySet[JudgmentPerson]:
    """One row per person convicted under the sections: the row of the first conviction
    (in date order), with its sentence; filter by `judgment__delivered_on` for a year."""
    convictions = JudgmentPerson.objects.filter(outcome=Outcome.CONVICTED, section__in=list(codes))
    # An earlier conviction of the same person under the sections, in the order
    # (judgment date, judgment, row): a row without one is the first. An anti-join,
    # which the planners estimate (PostgreSQL took `id = (first id)` for one row a
    # year and joined the suspects by nested loops: 2 s a group at 100 000 victims).
    delivered = OuterRef("judgment__delivered_on")
    judgment = OuterRef("judgment_id")
    earlier = convictions.filter(suspect_id=OuterRef("suspect_id")).filter(
        Q(judgment__delivered_on__lt=delivered)
        | Q(judgment__delivered_on=delivered, judgment_id__lt=judgment)
        | Q(judgment__delivered_on=delivered, judgment_id=judgment, id__lt=OuterRef("id"))
    )
    return convictions.filter(~Exists(earlier))


def _persons(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """justice.persons: suspects in the proceedings started in the year, or persons
    convicted in the year (filter role), by sex and citizenship."""
    out: YearsValues = {year: {} for year in years}
    by_role: dict[str, list[FigureDef]] = defaultdict(list)
    for figure in figures:
        by_role[_choice(figure, "role", ROLES)].append(figure)
    for codes, group in _by_sections(by_role["suspects"]).items():
        suspects = (
            Suspect.objects.filter(proceeding_id__in=_proceedings_under(codes))
            .alias(suspected=Year("suspected_on"), started=Year("proceeding__started_on"))
            .filter(suspected__lte=F("started"))
        )
        expressions = {f.id: Count("id", filter=_person_q(f)) for f in group}
        _numbers(aggregate_years(suspects, "proceeding__started_on", years, expressions), out)
    for codes, group in _by_sections(by_role["convicted"]).items():
        expressions = {
            f.id: Count("suspect_id", distinct=True, filter=_person_q(f, "suspect__"))
            for f in group
        }
        rows = first_convictions_of(codes)
        _numbers(aggregate_years(rows, "judgment__delivered_on", years, expressions), out)
    return out


_PENALTY_Q = {
    "deprivation_conditional": Q(deprivation_months__isnull=False, deprivation_conditional=True),
    "deprivation_real": Q(deprivation_months__isnull=False, deprivation_conditional=False),
    "probation": Q(probation_months__isnull=False),
    "fine": Q(fine_eur__isnull=False),
}
_PENALTY_COLUMN = {
    "deprivation_conditional": "deprivation_months",
    "deprivation_real": "deprivation_months",
    "probation": "probation_months",
    "fine": "fine_eur",
}


def _sentence_expression(figure: FigureDef) -> Any:
    penalty = _choice(figure, "penalty", PENALTIES)
    value = _choice(figure, "value", SENTENCE_VALUES, "persons")
    q = _PENALTY_Q[penalty]
    column = _PENALTY_COLUMN[penalty]
    if value == "persons":
        return Count("suspect_id", distinct=True, filter=q)
    if value == "min_months":
        return Min(column, filter=q)
    if value == "max_months":
        return Max(column, filter=q)
    return Sum(column, filter=q)


def _sentences(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """justice.sentences: the sentences of the persons convicted in the year (their
    first conviction): persons given a penalty, its shortest or longest term in months,
    or the fines' total."""
    out: YearsValues = {year: {} for year in years}
    for codes, group in _by_sections(figures).items():
        rows = first_convictions_of(codes)
        expressions = {f.id: _sentence_expression(f) for f in group}
        _numbers(aggregate_years(rows, "judgment__delivered_on", years, expressions), out)
    return out


def _property_arrested(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """justice.property_arrested: value (EUR) of the property arrested in the year in the
    proceedings under the sections (filter kind: one property kind)."""
    out: YearsValues = {year: {} for year in years}
    for codes, group in _by_sections(figures).items():
        arrests = PropertyArrest.objects.filter(proceeding_id__in=_proceedings_under(codes))
        expressions = {
            f.id: Sum("value_eur", filter=Q(kind=f.filter("kind")) if f.filter("kind") else Q())
            for f in group
        }
        found = aggregate_years(arrests, "arrested_on", years, expressions)
        for year, values in found.items():
            out[year].update({key: float(value or 0) for key, value in values.items()})
    return out


def pending_in_court(*, kind: str, at: date, codes: Sequence[str] | None = None) -> int:
    """Cases a court level (first_instance, appeal, cassation) has received and not yet
    examined just before `at`: per proceeding, receipts minus examinations so far (a case
    sent back for a new examination is pending again). One grouped query."""
    return pending_at({(kind, at)}, codes)[(kind, at)]


def pending_at(
    asked: Iterable[tuple[str, date]], codes: Sequence[str] | None = None
) -> dict[tuple[str, date], int]:
    """pending_in_court for several (court level, date) pairs in one query: the stage
    events grouped by proceeding, one balance per pair, then the proceedings with a
    positive balance counted per pair."""
    pairs = sorted(set(asked))
    if not pairs:
        return {}
    kinds = [kind for level, _at in pairs for kind in COURT_KINDS[level]]
    events = StageEvent.objects.filter(kind__in=kinds, on__lt=max(at for _level, at in pairs))
    if codes is not None:
        events = events.filter(proceeding_id__in=_proceedings_under(codes))
    balances = {}
    for index, (level, at) in enumerate(pairs):
        received_kind, examined_kind = COURT_KINDS[level]
        step = Case(
            When(kind=received_kind, then=Value(1)),
            When(kind=examined_kind, then=Value(-1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        balances[f"b{index}"] = Sum(step, filter=Q(on__lt=at))
    per_proceeding = events.values("proceeding_id").annotate(**balances).order_by()
    found = per_proceeding.aggregate(
        **{
            f"n{index}": Count("proceeding_id", filter=Q(**{f"b{index}__gt": 0}))
            for index in range(len(pairs))
        }
    )
    return {pair: int(found[f"n{index}"] or 0) for index, pair in enumerate(pairs)}


def _stage(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """justice.stage: cases (or persons) at a stage of the proceedings in the year. One
    query per group of sections for the stages of the years (grouped by year) and one
    for the cases pending at the years' starts and ends."""
    out: YearsValues = {year: {} for year in years}
    for codes, group in _by_sections(figures).items():
        events = StageEvent.objects.filter(proceeding_id__in=_proceedings_under(codes))
        expressions = {}
        pending: dict[str, tuple[str, str]] = {}
        for figure in group:
            stage = _choice(figure, "stage", STAGES)
            count = _choice(figure, "count", COUNTS, "cases")
            if stage in SINGLE_KINDS:
                q = Q(kind=SINGLE_KINDS[stage])
                # A proceeding sent to court counts once in the year.
                field = "proceeding_id"
            else:
                event = _choice(figure, "event", COURT_EVENTS)
                if event.startswith("pending"):
                    pending[figure.id] = (stage, event)
                    continue
                received, examined = COURT_KINDS[stage]
                q = Q(kind=received if event == "received" else examined)
                # Each receipt or examination by the court counts.
                field = "id"
            if count == "persons":
                field = "persons"
            expressions[figure.id] = Count(field, distinct=True, filter=q)
        _numbers(aggregate_years(events, "on", years, expressions), out)
        if pending:

            def at(year: int, event: str) -> date:
                return date(year, 1, 1) if event == "pending_at_start" else date(year + 1, 1, 1)

            found = pending_at(
                {(stage, at(year, event)) for stage, event in pending.values() for year in years},
                codes,
            )
            for year in years:
                for figure_id, (stage, event) in pending.items():
                    out[year][figure_id] = found[(stage, at(year, event))]
    return out


def non_punishment_q(kind: str) -> Q:
    """The decisions of a kind: a penalty applied to a victim; a release from
    administrative liability (a provision of the administrative liability law); a
    release from criminal liability (any other non-punishment provision)."""
    profile = get_profile()
    administrative = [
        s.code
        for s in profile.legal_sections
        if s.group == "non_punishment" and s.law == "administrative_liability_law"
    ]
    penalty = Q(outcome=NonPunishmentOutcome.PENALTY_APPLIED)
    if kind == "penalties_applied":
        return penalty
    if kind == "released_administrative":
        return ~penalty & Q(legal_basis__in=administrative)
    return ~penalty & ~Q(legal_basis__in=administrative)


def _non_punishment(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """justice.non_punishment: decisions of the year on offences victims committed."""
    expressions = {
        f.id: Count("id", filter=non_punishment_q(_choice(f, "kind", NON_PUNISHMENT_KINDS)))
        for f in figures
    }
    out: YearsValues = {year: {} for year in years}
    _numbers(
        aggregate_years(NonPunishmentDecision.objects.all(), "decided_on", years, expressions),
        out,
    )
    return out


# Checks --------------------------------------------------------------------------------


def _check(**choices: tuple[str, ...] | None) -> Callable[[FigureDef], None]:
    """A check of the figure's filters: sections always; each named filter, when set,
    must be one of its choices (None: any value)."""

    def check(figure: FigureDef) -> None:
        section_codes(figure.filter("sections"))
        for name, allowed in choices.items():
            value = figure.filter(name)
            if value is not None and allowed is not None and value not in allowed:
                raise ValueError(f"filter {name} must be one of {', '.join(allowed)}")

    return check


def _check_required(*names: str) -> Callable[[FigureDef], None]:
    def check(figure: FigureDef) -> None:
        missing = [name for name in names if figure.filter(name) is None]
        if missing:
            raise ValueError(f"filter {', '.join(missing)} is required")

    return check


def _both(*checks: Callable[[FigureDef], None]) -> Callable[[FigureDef], None]:
    def check(figure: FigureDef) -> None:
        for one in checks:
            one(figure)

    return check


def _check_form(figure: FigureDef) -> None:
    form = figure.filter("form")
    forms = [f.code for f in get_profile().exploitation_forms if f.headline is None]
    if form is not None and form not in [*forms, "unknown"]:
        raise ValueError(f"form: {form} is not a headline code of exploitation_forms")


def _check_citizenship(figure: FigureDef) -> None:
    from django_countries import countries

    citizenship = figure.filter("citizenship")
    if citizenship is not None and citizenship != "unknown" and citizenship not in countries:
        raise ValueError(f"citizenship: {citizenship} is not an ISO 3166 country code")


def _check_property_kind(figure: FigureDef) -> None:
    kind = figure.filter("kind")
    kinds = [item.code for item in get_profile().justice.property_kinds]
    if kind is not None and kind not in kinds:
        raise ValueError(f"kind: {kind} is not a code of justice.property_kinds")


def _check_stage(figure: FigureDef) -> None:
    stage = figure.filter("stage")
    event = figure.filter("event")
    if stage in SINGLE_KINDS and event is not None:
        raise ValueError(f"stage {stage} has no filter event")
    if stage in COURT_KINDS and event is None:
        raise ValueError(f"stage {stage} needs the filter event")
    if figure.filter("count") == "persons" and str(event or "").startswith("pending"):
        raise ValueError("pending cases are counted as cases, not persons")


def _check_sentence(figure: FigureDef) -> None:
    if figure.filter("penalty") == "fine" and figure.filter("value") in (
        "min_months",
        "max_months",
    ):
        raise ValueError("a fine has no term in months")
    if figure.filter("penalty") != "fine" and figure.filter("value") == "total_eur":
        raise ValueError("only fines have a total in EUR")


# Registration --------------------------------------------------------------------------


def record_years() -> set[int]:
    """The years in which proceedings started, moved a stage, were judged, had property
    arrested, or non-punishment decisions were taken."""
    sources: list[tuple[QuerySet[Any], str]] = [
        (Proceeding.objects.all(), "started_on"),
        (StageEvent.objects.all(), "on"),
        (Judgment.objects.all(), "delivered_on"),
        (PropertyArrest.objects.all(), "arrested_on"),
        (NonPunishmentDecision.objects.all(), "decided_on"),
    ]
    years: set[int] = set()
    for queryset, field in sources:
        years.update(queryset.annotate(y=ExtractYear(field)).values_list("y", flat=True).distinct())
    return years


SECTIONS_FILTER = _(
    "sections: the Criminal Law sections (a group: trafficking or related offences, or codes)"
)
SEX_FILTER = _("sex: male or female")
CITIZENSHIP_FILTER = _("citizenship: ISO 3166 country code, or unknown")


def register() -> None:
    register_measure(
        "justice.proceedings",
        records=_("criminal proceedings started in the year, each counted once"),
        compute=_each_year(_proceedings),
        compute_years=_proceedings,
        filters={
            "sections": SECTIONS_FILTER,
            "form": _("form: the headline form of exploitation, or unknown"),
        },
        check=_both(_check(), _check_form),
    )
    register_measure(
        "justice.injured_parties",
        records=_("injured parties of the proceedings started in the year, recognised by its end"),
        compute=_each_year(_injured_parties),
        compute_years=_injured_parties,
        filters={"sections": SECTIONS_FILTER, "sex": SEX_FILTER, "citizenship": CITIZENSHIP_FILTER},
        check=_both(_check(sex=SEXES), _check_citizenship),
    )
    register_measure(
        "justice.persons",
        records=_(
            "suspects of the proceedings started in the year (recognised by its end), or "
            "persons convicted in the year: the year of their first conviction under the "
            "sections, so an upheld conviction does not count them again"
        ),
        compute=_each_year(_persons),
        compute_years=_persons,
        filters={
            "sections": SECTIONS_FILTER,
            "role": _("role: suspects or convicted"),
            "sex": SEX_FILTER,
            "citizenship": CITIZENSHIP_FILTER,
        },
        check=_both(_check_required("role"), _check(role=ROLES, sex=SEXES), _check_citizenship),
    )
    register_measure(
        "justice.sentences",
        records=_("the sentences of the persons convicted in the year (first conviction)"),
        compute=_each_year(_sentences),
        compute_years=_sentences,
        filters={
            "sections": SECTIONS_FILTER,
            "penalty": _(
                "penalty: conditional or real deprivation of liberty, probation supervision, fine"
            ),
            "value": _(
                "value: persons given the penalty, the shortest or longest term (months), "
                "the fines' total (EUR)"
            ),
        },
        check=_both(
            _check_required("penalty"),
            _check(penalty=PENALTIES, value=SENTENCE_VALUES),
            _check_sentence,
        ),
    )
    register_measure(
        "justice.property_arrested",
        records=_("property arrested in the year in the proceedings under the sections (EUR)"),
        compute=_each_year(_property_arrested),
        compute_years=_property_arrested,
        filters={
            "sections": SECTIONS_FILTER,
            "kind": _("kind: the kind of property"),
        },
        check=_both(_check(), _check_property_kind),
    )
    register_measure(
        "justice.stage",
        records=_(
            "stages of the proceedings in the year: cases sent to court (each once), the "
            "courts' receipts and examinations, cases pending before a court at the start "
            "or end of the year"
        ),
        compute=_each_year(_stage),
        compute_years=_stage,
        filters={
            "sections": SECTIONS_FILTER,
            "stage": _(
                "stage: transferred for prosecution, sent to court, first instance, appeal, "
                "cassation"
            ),
            "event": _("event: received, examined, pending at the start or at the end"),
            "count": _("count: cases or persons"),
        },
        check=_both(
            _check_required("stage"),
            _check(stage=STAGES, event=COURT_EVENTS, count=COUNTS),
            _check_stage,
        ),
    )
    register_measure(
        "justice.non_punishment",
        records=_("decisions of the year on offences committed by victims of trafficking"),
        compute=_each_year(_non_punishment),
        compute_years=_non_punishment,
        filters={
            "kind": _(
                "kind: penalty applied to a victim, released from administrative or from "
                "criminal liability"
            )
        },
        check=_both(_check_required("kind"), _check_kind_only),
    )
    register_record_years(record_years)
    # Every model of the app: a write of any of them may change a figure.
    register_report_records(*apps.get_app_config("justice").get_models())


def _check_kind_only(figure: FigureDef) -> None:
    if figure.filter("kind") not in NON_PUNISHMENT_KINDS:
        raise ValueError(f"filter kind must be one of {', '.join(NON_PUNISHMENT_KINDS)}")
