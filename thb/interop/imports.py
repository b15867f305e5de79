"""The victim-case import type: a service provider moves its register (or a
spreadsheet kept so far, or a ministry's historical register) into THB. Each row is one
case with, optionally, its identification decision and injured-party status. Rows are
checked by the victims app's own rule functions (those of the intake and decision
forms) and written by its bulk service (thb.victims.services.cases_import_*)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Institution, Role, User
from thb.core import validators
from thb.interop.parsers import (
    parse_bool,
    parse_country,
    parse_date,
    parse_integer,
    parse_list,
    parse_text,
)
from thb.interop.registry import (
    BulkImport,
    Column,
    ImportRow,
    ImportType,
    RowIssue,
    Staged,
    StagedInParts,
    WriteResult,
    register,
)
from thb.interop.selectors import locked_years
from thb.lib.crypto import default_cipher
from thb.profiles import code_set, get_profile
from thb.victims.models import Case, DecisionKind, Sex
from thb.victims.services import (
    CaseImport,
    Decision,
    ExploitationProfile,
    Identity,
    Intake,
    VictimProfile,
    cases_import_join,
    cases_import_stage,
    cases_import_write,
)


def _codes(section: str) -> Any:
    return lambda: get_profile().codes(section)


def _pairs(text: str, what: str) -> list[tuple[str, str]]:
    """'labour:construction; sexual' -> [('labour', 'construction'), ('sexual', '')]."""
    pairs = []
    for part in parse_list(text):
        first, _sep, second = part.partition(":")
        if not first.strip():
            raise ValueError(_("An empty %(what)s in the list.") % {"what": what})
        pairs.append((first.strip(), second.strip()))
    return pairs


def _forms(text: str) -> list[tuple[str, str]]:
    profile = get_profile()
    pairs = _pairs(text, "form")
    for form, sector in pairs:
        if form not in code_set("exploitation_forms", profile):
            raise ValueError(_("Unknown form of exploitation “%(code)s”.") % {"code": form})
        if sector and sector not in code_set("labour_sectors", profile):
            raise ValueError(_("Unknown sector “%(code)s”.") % {"code": sector})
    return pairs


def _vulnerabilities(text: str) -> list[str]:
    """'mental_disorder; bezdarbs' -> codes: each a code or its label in a UI language."""
    from thb.interop.labels import code_for

    allowed = get_profile().codes("vulnerability_factors")
    codes = []
    for part in parse_list(text):
        code, problem = code_for(allowed, part)
        if code is None:
            raise ValueError(f"{part}: {problem}")
        codes.append(code)
    return codes


def _transit(text: str) -> list[str]:
    """'RU; Latvija; GB' -> ISO codes in the route's order."""
    return [parse_country(part) for part in parse_list(text)]


def _places(text: str) -> list[tuple[str, str]]:
    profile = get_profile()
    pairs = [(parse_country(country), region) for country, region in _pairs(text, "place")]
    for _country, region in pairs:
        if region and region not in code_set("regions", profile):
            raise ValueError(_("Unknown region “%(code)s”.") % {"code": region})
    return pairs


COLUMNS = [
    Column(
        "external_id",
        gettext_lazy("The case's id in your own register; makes re-imports safe."),
        label=gettext_lazy("External id"),
        parse=parse_text(80),
        example="MARTA-2020-001",
    ),
    Column(
        "intake_date",
        gettext_lazy("Date of intake, YYYY-MM-DD."),
        label=gettext_lazy("Date of intake"),
        parse=parse_date,
        example="2020-03-15",
    ),
    Column(
        "referral_channel",
        gettext_lazy("Who referred the person."),
        label=gettext_lazy("Referred by"),
        codes=_codes("referral_channels"),
        example="state_police",
    ),
    Column(
        "sex",
        gettext_lazy("Sex of the person."),
        label=gettext_lazy("Sex"),
        required=False,
        codes=lambda: list(Sex.values),
        example="female",
    ),
    Column(
        "citizenship",
        gettext_lazy("Citizenship: ISO 3166 two-letter code (LV, UZ, …) or the country's name."),
        label=gettext_lazy("Citizenship"),
        required=False,
        parse=parse_country,
        example=get_profile().country.code,
    ),
    Column(
        "age_at_identification",
        gettext_lazy(
            "Age in years when identified; empty: derived from date_of_birth (the completed "
            "years on the intake date)."
        ),
        label=gettext_lazy("Age at identification"),
        required=False,
        parse=parse_integer(validators.age),
        example="24",
    ),
    Column(
        "education",
        gettext_lazy("Education level."),
        label=gettext_lazy("Education"),
        required=False,
        codes=_codes("education_levels"),
        example="secondary",
    ),
    Column(
        "vulnerabilities",
        gettext_lazy("Vulnerability factors separated by ';' (codes or their names)."),
        label=gettext_lazy("Vulnerability factors"),
        required=False,
        parse=_vulnerabilities,
        example="unemployment; no_language",
    ),
    Column(
        "forms",
        gettext_lazy(
            "Forms of exploitation separated by ';', labour with its sector after ':' "
            "(labour:construction; sexual)."
        ),
        label=gettext_lazy("Forms of exploitation"),
        required=False,
        parse=_forms,
        example="labour:construction",
    ),
    Column(
        "places",
        format_lazy(
            gettext_lazy(
                "Places of exploitation separated by ';': country code, for {country} with "
                "the region after ':' ({country}:{region}; GB)."
            ),
            country=get_profile().country.code,
            region=get_profile().regions[0].code,
        ),
        label=gettext_lazy("Places of exploitation"),
        required=False,
        parse=_places,
        example="GB",
    ),
    Column(
        "recruitment_method",
        gettext_lazy("How the person was recruited."),
        label=gettext_lazy("Recruitment method"),
        required=False,
        codes=_codes("recruitment_methods"),
        example="acquaintance",
    ),
    Column(
        "recruitment_platform",
        gettext_lazy("Where the person was recruited online."),
        label=gettext_lazy("Recruitment platform (online)"),
        required=False,
        codes=_codes("recruitment_platforms"),
        example="job_portal",
    ),
    Column(
        "migration_route",
        gettext_lazy("The visa or posting route into the country of exploitation."),
        label=gettext_lazy("Visa or posting route"),
        required=False,
        codes=_codes("migration_routes"),
        example="other_eu_state_work_visa",
    ),
    Column(
        "transit",
        gettext_lazy(
            "Transit countries in the route's order, separated by ';': ISO codes or names (RU; LV)."
        ),
        label=gettext_lazy("Transit countries"),
        required=False,
        parse=_transit,
        example="PL",
    ),
    Column(
        "exploitation_start",
        gettext_lazy("Exploitation from, YYYY-MM-DD."),
        label=gettext_lazy("Exploitation from"),
        required=False,
        parse=parse_date,
        example="2019-06-01",
    ),
    Column(
        "exploitation_end",
        gettext_lazy("Exploitation until, YYYY-MM-DD."),
        label=gettext_lazy("Exploitation until"),
        required=False,
        parse=parse_date,
        example="2020-02-28",
    ),
    Column(
        "given_names",
        gettext_lazy("Given names (encrypted at rest)."),
        label=gettext_lazy("Given names"),
        required=False,
        parse=parse_text("name"),
        example="Anna",
        sensitive=True,
    ),
    Column(
        "surname",
        gettext_lazy("Surname (encrypted at rest)."),
        label=gettext_lazy("Surname"),
        required=False,
        parse=parse_text("name"),
        example="Ozola",
        sensitive=True,
    ),
    Column(
        "date_of_birth",
        gettext_lazy("Date of birth, YYYY-MM-DD (encrypted at rest)."),
        label=gettext_lazy("Date of birth"),
        required=False,
        parse=parse_date,
        example="1996-01-20",
        sensitive=True,
    ),
    Column(
        "personal_code",
        gettext_lazy("Personal code (encrypted at rest), checked against the country's format."),
        label=gettext_lazy("Personal code"),
        required=False,
        parse=validators.personal_code,
        example="",
        sensitive=True,
    ),
]

DECISION_OUTCOMES = ["recognised", "not_recognised"]

COLUMNS += [
    Column(
        "historical",
        gettext_lazy(
            "A record of a historical register migrated into THB (true/false): its decision "
            "may lack criteria, members, proceeding number and reasons."
        ),
        label=gettext_lazy("Historical record"),
        required=False,
        parse=parse_bool,
        example="true",
    ),
    Column(
        "decision_kind",
        gettext_lazy(
            "Who decided on identification: the specialist commission or the process "
            "director in criminal proceedings (empty: no decision yet)."
        ),
        label=gettext_lazy("Decided by"),
        required=False,
        codes=lambda: list(DecisionKind.values),
        example="commission",
    ),
    Column(
        "decision_date",
        gettext_lazy("Date of the identification decision, YYYY-MM-DD."),
        label=gettext_lazy("Decision date"),
        required=False,
        parse=parse_date,
        example="2020-05-12",
    ),
    Column(
        "decision_outcome",
        gettext_lazy("Outcome of the decision."),
        label=gettext_lazy("Decision outcome"),
        required=False,
        codes=lambda: DECISION_OUTCOMES,
        example="recognised",
    ),
    Column(
        "deciding_institution",
        gettext_lazy("THB code of the institution whose commission or process director decided."),
        label=gettext_lazy("Deciding institution"),
        required=False,
        parse=parse_text(40),
        example="",
    ),
    Column(
        "criteria",
        gettext_lazy(
            "Identification criteria met (profile codes, Reg. No. 344 Annex 2) separated by "
            "';'; required for a commission's recognition unless historical."
        ),
        label=gettext_lazy("Criteria met"),
        required=False,
        parse=parse_list,
        example="means_deception; purpose_exploitation",
    ),
    Column(
        "decision_members",
        gettext_lazy(
            "Commission members who decided, separated by ';' (required unless historical)."
        ),
        label=gettext_lazy("Commission members"),
        required=False,
        parse=parse_text("notes"),
        example="",
    ),
    Column(
        "decision_proceeding",
        gettext_lazy(
            "Criminal proceeding number of a process director's decision "
            "(required unless historical)."
        ),
        label=gettext_lazy("Proceeding of the decision"),
        required=False,
        parse=parse_text(40),
        example="",
    ),
    Column(
        "decision_reasons",
        gettext_lazy("Reasons for not recognising the person (required unless historical)."),
        label=gettext_lazy("Reasons for not recognising"),
        required=False,
        parse=parse_text("notes"),
        example="",
    ),
    Column(
        "injured_party_date",
        gettext_lazy("Date the person was recognised as injured party in criminal proceedings."),
        label=gettext_lazy("Injured party since"),
        required=False,
        parse=parse_date,
        example="2020-04-02",
    ),
    Column(
        "injured_party_proceeding",
        gettext_lazy(
            "Criminal proceeding of the injured-party status (required unless historical)."
        ),
        label=gettext_lazy("Injured party's proceeding"),
        required=False,
        parse=parse_text(40),
        example="",
    ),
]

# The victims services' field names that are not column names.
_FIELD_TO_COLUMN = {
    "primary_form_override": "forms",
    "kind": "decision_kind",
    "decided_on": "decision_date",
    "criteria_met": "criteria",
    "members": "decision_members",
    "proceeding_reference": "decision_proceeding",
    "reasons": "decision_reasons",
    "injured_party_on": "injured_party_date",
}
_DECISION_COLUMNS = (
    "decision_date",
    "decision_outcome",
    "deciding_institution",
    "criteria",
    "decision_members",
    "decision_proceeding",
    "decision_reasons",
)


def _decision(
    row: ImportRow, institutions: dict[str, Institution], historical: bool
) -> tuple[Decision | None, list[RowIssue]]:
    values = row.values
    kind = values["decision_kind"]
    if kind is None:
        given = [name for name in _DECISION_COLUMNS if values[name] not in (None, [], "")]
        if given:
            message = _("A decision needs its kind (decision_kind).")
            return None, [RowIssue(row.line, "decision_kind", message)]
        return None, []
    issues = [
        RowIssue(row.line, name, _("A decision needs its date and outcome."))
        for name in ("decision_date", "decision_outcome")
        if values[name] is None
    ]
    institution = None
    if values["deciding_institution"]:
        institution = institutions.get(values["deciding_institution"])
        if institution is None:
            issues.append(
                RowIssue(row.line, "deciding_institution", _("No institution has this code."))
            )
    if issues:
        return None, issues
    decision = Decision(
        kind=kind,
        decided_on=values["decision_date"],
        recognised=values["decision_outcome"] == "recognised",
        criteria_met=values["criteria"] or (),
        reasons=values["decision_reasons"] or "",
        members="\n".join(parse_list(values["decision_members"] or "")),
        proceeding_reference=values["decision_proceeding"] or "",
        deciding_institution=institution,
        historical=historical,
    )
    return decision, []


def _case_import(row: dict[str, Any]) -> CaseImport:
    return CaseImport(
        intake=Intake(
            intake_date=row["intake_date"],
            referral_channel=row["referral_channel"],
            external_id=row["external_id"],
            victim=VictimProfile(
                sex=row["sex"] or Sex.UNKNOWN,
                citizenship=row["citizenship"] or "",
                age_at_identification=row["age_at_identification"],
                education=row["education"] or "unknown",
                vulnerabilities=row["vulnerabilities"] or (),
            ),
            exploitation=ExploitationProfile(
                forms=row["forms"] or (),
                places=row["places"] or (),
                recruitment_method=row["recruitment_method"] or "unknown",
                recruitment_platform=row["recruitment_platform"] or "",
                migration_route=row["migration_route"] or "",
                transit=row["transit"] or (),
                exploitation_start=row["exploitation_start"],
                exploitation_end=row["exploitation_end"],
            ),
            identity=Identity(
                given_names=row["given_names"] or "",
                surname=row["surname"] or "",
                date_of_birth=row["date_of_birth"],
                personal_code=row["personal_code"] or "",
            ),
        ),
        injured_party_on=row["injured_party_date"],
        injured_party_proceeding=row["injured_party_proceeding"] or "",
        historical=bool(row["historical"]),
    )


def _issues(line: int, exc: ValidationError) -> list[RowIssue]:
    if not hasattr(exc, "error_dict"):
        return [RowIssue(line, "", " ".join(exc.messages))]
    return [
        RowIssue(line, _FIELD_TO_COLUMN.get(name, name), " ".join(messages))
        for name, messages in exc.message_dict.items()
    ]


@dataclass(frozen=True)
class _CasesContext:
    """What the rows' checks need from the database, read once before they run."""

    existing: frozenset[str]
    """The institution's external ids already in THB."""
    locked: frozenset[int]
    """The years its accepted submissions lock."""
    institutions: dict[str, Institution]
    """Institutions by code (a decision names the deciding one)."""


def cases_context(actor: User) -> _CasesContext:
    """What the rows' checks need from the database, in a constant number of queries:
    the institution's existing external ids, its locked years (every year an intake
    date may have) and the institutions by code."""
    if actor.institution is None:
        raise PermissionDenied(_("Only a caseworker of an institution imports cases."))
    # The identities' cipher, loaded here: its first load may look into the database,
    # which a worker process staging a part of the file has no access to.
    default_cipher()
    existing = frozenset(
        Case.objects.filter(institution=actor.institution)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    return _CasesContext(
        existing=existing,
        locked=frozenset(locked_years(actor.institution)),
        institutions={i.code: i for i in Institution.objects.all()},
    )


def stage_cases(actor: User, context: _CasesContext, rows: Sequence[ImportRow]) -> Staged:
    """Check rows with the intake's and decision's rules and stage the new cases, with
    no database access (a part of a large file is staged in a worker process). A row
    whose external id is already in THB is left unchanged (edits to an imported case
    are made on its page, where they are reviewed)."""
    new_rows = [row for row in rows if row.values["external_id"] not in context.existing]
    issues: list[RowIssue] = []
    items: list[CaseImport] = []
    lines: list[int] = []
    for row in new_rows:
        year = row.values["intake_date"].year
        if year in context.locked:
            message = _(
                "The institution's submission for %(year)d is accepted; its records are locked."
            ) % {"year": year}
            issues.append(RowIssue(row.line, "intake_date", message))
            continue
        item = _case_import(row.values)
        item.decision, problems = _decision(row, context.institutions, item.historical)
        if problems:
            issues += problems
            continue
        items.append(item)
        lines.append(row.line)
    errors, staged = cases_import_stage(actor=actor, items=items)
    for index, exc in errors.items():
        issues += _issues(lines[index], exc)
    issues.sort(key=lambda issue: issue.line)
    return Staged(
        errors=issues, existing=len(rows) - len(new_rows), to_write=len(items), payload=staged
    )


def join_cases(actor: User, context: _CasesContext, parts: list[Staged]) -> Staged:
    """The parts staged (in the file's order) as one; person codes made unique."""
    errors = [issue for part in parts for issue in part.errors]
    joined = Staged(
        errors=sorted(errors, key=lambda issue: issue.line),
        existing=sum(part.existing for part in parts),
        to_write=sum(part.to_write for part in parts),
    )
    if not errors:
        joined.payload = cases_import_join(actor=actor, parts=[part.payload for part in parts])
    return joined


def prepare_cases(actor: User, rows: Sequence[ImportRow]) -> Staged:
    """Check every row with the intake's and decision's rules and stage the new cases:
    a constant number of queries (`cases_context`, the person codes by year), none
    per row; the same steps as a large file staged in parts by worker processes."""
    context = cases_context(actor)
    return join_cases(actor, context, [stage_cases(actor, context, rows)])


def write_cases(actor: User, staged: Staged) -> WriteResult:
    written = cases_import_write(actor=actor, staged=staged.payload)
    return WriteResult(
        model="victims.case",
        created_ids=written.case_ids,
        details={
            "decisions": written.decisions,
            "historical": written.historical,
            "injured_party": written.injured_party,
        },
    )


def count_cases(institution: Institution, year: int) -> int:
    return Case.objects.filter(institution=institution, intake_date__year=year).count()


register(
    ImportType(
        name="victim_cases",
        label=gettext_lazy("Victim cases"),
        columns=COLUMNS,
        bulk=BulkImport(
            prepare=prepare_cases,
            write=write_cases,
            parts=StagedInParts(context=cases_context, stage=stage_cases, join=join_cases),
        ),
        roles=(Role.CASEWORKER,),
        key_column="external_id",
        description=gettext_lazy(
            "One row per case of a (potential) victim at your institution. A row whose "
            "external id is already in THB is left unchanged."
        ),
        count_for=count_cases,
    )
)
