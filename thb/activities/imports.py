"""Bulk-import types of the activity records (see thb/interop/registry.py).

One type per record type an institution reports in bulk. Every row carries the
institution's own `external_id`; a re-import updates the record with that id instead of
adding one. Children travel with their parent where a file would otherwise need ids
from THB: a training event's participants and a campaign's materials are list cells.
A helpline contact or aggregate names its line by code; a line the institution has not
registered yet is registered from the row's `helpline_number`.
Project events are entered on the pages (there are few of them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Institution, User
from thb.activities.models import (
    ActivityRecord,
    Campaign,
    CampaignMaterial,
    Helpline,
    TrainingEvent,
    TrainingParticipation,
)
from thb.activities.policy import owns
from thb.activities.record_types import TYPES, RecordType, bound, profile_codes
from thb.activities.services import (
    RecordsContext,
    StagedRecords,
    record_save,
    records_import_context,
    records_import_join,
    records_import_stage,
    records_import_write,
)
from thb.core import validators
from thb.core.languages import country_language
from thb.interop.labels import code_for
from thb.interop.parsers import (
    parse_bool,
    parse_date,
    parse_decimal,
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
from thb.profiles import get_profile

EXTERNAL_ID = Column(
    "external_id",
    gettext_lazy("Your institution's own id of the record (re-importing the same id updates it)."),
    label=gettext_lazy("External id"),
    parse=parse_text(80),
    example="2020-0001",
)


def _examples() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The profile's example values of the columns (interop.yaml), for the templates."""
    interop = get_profile().interop
    return (
        {"language": country_language(), **interop.activity_examples},
        interop.activity_type_examples,
    )


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def _parse_datetime(text: str) -> datetime:
    cleaned = text[:16]
    try:
        if not _DATETIME.fullmatch(cleaned):
            raise ValueError(cleaned)
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(_("Not a date and time: write YYYY-MM-DD HH:MM.")) from None
    # The installation's time zone (THB never activates another one per request).
    aware = timezone.make_aware(value, timezone.get_default_timezone())
    if aware > timezone.now():
        raise ValueError(_("The date cannot be in the future."))
    return aware


def _codes_list(codes: Callable[[], list[str]]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        # Each item a code or its label, as in a single-code column (thb/interop/labels.py).
        allowed = codes()
        found = [(value, code_for(allowed, value)[0]) for value in parse_list(text)]
        bad = [value for value, code in found if code is None]
        if bad:
            raise ValueError(_("Not allowed codes: %(codes)s.") % {"codes": ", ".join(bad)})
        return [code for _value, code in found if code is not None]

    return parse


def _countries_list(text: str) -> list[str]:
    from thb.interop.parsers import parse_country

    return [parse_country(v) for v in parse_list(text)]


def _column(record_type: RecordType, name: str) -> Column:
    field = record_type.model._meta.get_field(name)
    assert isinstance(field, models.Field)
    has_default = field.has_default() and not isinstance(field, models.JSONField)
    required = not (
        field.blank or field.null or has_default or isinstance(field, models.BooleanField)
    )
    # Lazy: the help and the label are shown in the user's language.
    label = capfirst(field.verbose_name)
    help_text: Any = label
    codes = record_type.codes.get(name)
    parse: Callable[[str], Any] = str
    if name in record_type.multi_codes:
        parse = (
            _countries_list
            if name == "partner_countries"
            else _codes_list(record_type.multi_codes[name])
        )
        help_text = format_lazy("{} ({})", label, gettext_lazy("several codes separated by ';'"))
    elif isinstance(field, models.BooleanField):
        parse = parse_bool
        help_text = format_lazy("{} ({})", label, gettext_lazy("yes/no"))
    elif isinstance(field, models.DateTimeField):
        parse = _parse_datetime
        help_text = format_lazy("{} (YYYY-MM-DD HH:MM)", label)
    elif isinstance(field, models.DateField):
        parse = parse_date
        help_text = format_lazy("{} (YYYY-MM-DD)", label)
    elif isinstance(field, models.DecimalField):
        parse = parse_decimal(bound(record_type, name))  # type: ignore[arg-type]
    elif isinstance(field, (models.PositiveIntegerField, models.PositiveSmallIntegerField)):
        parse = parse_integer(bound(record_type, name))  # type: ignore[arg-type]
    elif isinstance(field, models.CharField | models.TextField) and codes is None:
        parse = parse_text(field.max_length or "notes")
    examples, type_examples = _examples()
    example = type_examples.get(record_type.slug, {}).get(name, examples.get(name, ""))
    return Column(
        name,
        help_text,
        required=required,
        codes=codes,
        parse=parse,
        example=example,
        label=label,
    )


def _defaults(record_type: RecordType, values: dict[str, Any]) -> dict[str, Any]:
    """An empty optional cell arrives as None: give the model's empty value instead."""
    out: dict[str, Any] = {}
    for name in record_type.fields:
        if name not in values:
            continue
        value = values[name]
        if value is None:
            field = record_type.model._meta.get_field(name)
            assert isinstance(field, models.Field)
            if field.null:
                value = None
            elif field.has_default():
                value = field.get_default()
            elif isinstance(field, models.CharField | models.TextField):
                value = ""
        out[name] = value
    return out


def _existing(record_type: RecordType, actor: User, external_id: str) -> ActivityRecord | None:
    return record_type.model._default_manager.filter(
        institution_id=actor.institution_id or 0, external_id=external_id
    ).first()


def _save(
    record_type: RecordType, actor: User, values: dict[str, Any], external_id: str
) -> tuple[ActivityRecord, bool]:
    instance = _existing(record_type, actor, external_id)
    return record_save(
        actor=actor,
        record_type=record_type,
        values=values,
        instance=instance,
        external_id=external_id,
    )


def _line(actor: User, row: dict[str, Any]) -> Helpline:
    code = row["helpline"]
    line = Helpline.objects.filter(code=code).first()
    if line is not None:
        if not owns(actor, line):
            raise ValidationError({"helpline": _("Not a line your institution operates.")})
        return line
    number = row.get("helpline_number")
    if not number:
        raise ValidationError(
            {
                "helpline_number": _("The line %(code)s is not registered: give its number.")
                % {"code": code}
            }
        )
    record, _created = record_save(
        actor=actor,
        record_type=TYPES["helplines"],
        values={"code": code, "name": number, "number": number, "channels": [], "languages": []},
    )
    assert isinstance(record, Helpline)
    return record


def _issues(line: int, exc: ValidationError) -> list[RowIssue]:
    if not hasattr(exc, "error_dict"):
        return [RowIssue(line, "", " ".join(exc.messages))]
    return [
        RowIssue(line, name if name != "__all__" else "", " ".join(messages))
        for name, messages in exc.message_dict.items()
    ]


@dataclass(frozen=True)
class _BulkContext:
    """What a bulk import of one type reads from the database before its rows are
    checked (`records_import_context`, and the lines by code for helpline children)."""

    records: RecordsContext
    lines: dict[str, Helpline]


def _bulk(record_type: RecordType, *, lines: bool = False) -> BulkImport:
    """The bulk path of a type: rows staged by the activities services' bulk check
    (the rules of `record_save`), written with bulk inserts in one transaction. With
    `lines`, each row names its helpline by code. A large file is staged in worker
    processes, a part each (`StagedInParts`): the rows naming records already in THB
    (a re-import) are staged when the parts are joined, where their records are read."""

    def context(actor: User) -> _BulkContext:
        records = records_import_context(actor=actor, record_type=record_type)
        known = {line.code: line for line in Helpline.objects.all()} if lines else {}
        return _BulkContext(records=records, lines=known)

    def stage_rows(
        actor: User,
        context: _BulkContext,
        rows: Sequence[ImportRow],
        new_lines: dict[str, Helpline],
        *,
        defer: bool,
    ) -> Staged:
        """Check and stage the rows; with `defer`, those naming stored records are
        left for `join` (returned in the payload)."""
        issues: list[RowIssue] = []
        pairs: list[tuple[dict[str, Any], str]] = []
        row_lines: list[int] = []
        deferred: list[ImportRow] = []
        for row in rows:
            if defer and row.values["external_id"] in context.records.stored:
                deferred.append(row)
                continue
            values = _defaults(record_type, row.values)
            if lines:
                line, problem = _line_for(actor, row.values, context.lines, new_lines)
                if problem is not None:
                    issues.append(RowIssue(row.line, *problem))
                    continue
                values["helpline"] = line
            pairs.append((values, row.values["external_id"]))
            row_lines.append(row.line)
        errors, staged = records_import_stage(
            actor=actor,
            record_type=record_type,
            rows=pairs,
            context=context.records,
            keep_new=False,
        )
        for index, exc in errors.items():
            issues += _issues(row_lines[index], exc)
        issues.sort(key=lambda issue: issue.line)
        return Staged(
            errors=issues,
            existing=staged.existing,
            to_write=staged.new_count,
            payload=(staged, new_lines, deferred),
        )

    def stage(actor: User, context: _BulkContext, rows: Sequence[ImportRow]) -> Staged:
        # In a worker: no database access, so the rows naming stored records wait.
        return stage_rows(actor, context, rows, {}, defer=True)

    def join(actor: User, context: _BulkContext, parts: list[Staged]) -> Staged:
        # The lines the parts register, one object per code (the first part's).
        new_lines: dict[str, Helpline] = {}
        for part in parts:
            if part.payload is None:
                continue
            _records, part_lines, _deferred = part.payload
            for code, line in part_lines.items():
                new_lines.setdefault(code, line)
        deferred = [row for part in parts if part.payload is not None for row in part.payload[2]]
        if deferred:
            # The re-imported rows, staged here where their records can be read.
            parts = [*parts, stage_rows(actor, context, deferred, new_lines, defer=False)]
        errors = sorted(
            (issue for part in parts for issue in part.errors), key=lambda issue: issue.line
        )
        joined = Staged(
            errors=errors,
            existing=sum(part.existing for part in parts),
            to_write=sum(part.to_write for part in parts),
        )
        if errors:
            return joined
        staged_parts: list[StagedRecords] = []
        for part in parts:
            staged, _lines, _deferred = part.payload
            insert = staged.insert
            if insert is not None:
                for name, parents in insert.links.items():
                    if isinstance(parents, list):
                        insert.links[name] = [
                            new_lines[parent.code] if parent.pk is None else parent
                            for parent in parents
                        ]
            staged_parts.append(staged)
        joined.payload = (records_import_join(parts=staged_parts), list(new_lines.values()))
        return joined

    def prepare(actor: User, rows: Sequence[ImportRow]) -> Staged:
        bulk_context = context(actor)
        return join(actor, bulk_context, [stage(actor, bulk_context, rows)])

    def write(actor: User, staged: Staged) -> WriteResult:
        records, new_lines = staged.payload
        for placeholder in new_lines:
            # A line the institution had not registered: through the helplines' service.
            line, _created = record_save(
                actor=actor,
                record_type=TYPES["helplines"],
                values={
                    "code": placeholder.code,
                    "name": placeholder.name,
                    "number": placeholder.number,
                    "channels": [],
                    "languages": [],
                },
            )
            # The prepared insert links the contacts to the placeholder's id.
            placeholder.pk = line.pk
        written = records_import_write(actor=actor, staged=records)
        return WriteResult(
            model=record_type.model._meta.label_lower,
            created_ids=written.created_ids,
            updated=written.updated,
        )

    return BulkImport(
        prepare=prepare,
        write=write,
        parts=StagedInParts(context=context, stage=stage, join=join),
    )


def _line_for(
    actor: User, row: dict[str, Any], known: dict[str, Helpline], new_lines: dict[str, Helpline]
) -> tuple[Helpline | None, tuple[str, str] | None]:
    """The row's line (an unsaved one to register if the code is new), or the problem."""
    code = row["helpline"]
    line = known.get(code) or new_lines.get(code)
    if line is not None:
        if line.pk is not None and not owns(actor, line):
            return None, ("helpline", _("Not a line your institution operates."))
        return line, None
    number = row.get("helpline_number")
    if not number:
        message = _("The line %(code)s is not registered: give its number.") % {"code": code}
        return None, ("helpline_number", message)
    line = Helpline(
        code=code,
        name=number,
        number=number,
        channels=[],
        languages=[],
        institution_id=actor.institution_id or 0,  # can_write requires an institution
    )
    new_lines[code] = line
    return line, None


def _simple_type(
    name: str,
    slug: str,
    description: str | Promise,
    *,
    extra: dict[str, Any] | None = None,
    bulk: bool = False,
) -> ImportType:
    record_type = TYPES[slug]
    columns = [_column(record_type, f) for f in record_type.fields] + [EXTERNAL_ID]

    def save_row(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
        return _save(record_type, actor, _defaults(record_type, row), row["external_id"])

    return ImportType(
        name=name,
        label=record_type.label_plural,
        columns=columns,
        save_row=None if bulk else save_row,
        bulk=_bulk(record_type) if bulk else None,
        roles=record_type.write_roles,
        key_column="external_id",
        description=description,
        extra=extra or {},
        count_for=_counter(record_type),
    )


def _counter(record_type: RecordType) -> Callable[[Institution, int], int] | None:
    if record_type.year_q is None:
        return None
    year_q = record_type.year_q

    def count_for(institution: Institution, year: int) -> int:
        return record_type.model._default_manager.filter(
            year_q(year), institution=institution
        ).count()

    return count_for


def _helpline_child_type(
    name: str, slug: str, description: str | Promise, *, bulk: bool = False
) -> ImportType:
    record_type = TYPES[slug]
    fields = [f for f in record_type.fields if f != "helpline"]
    columns = [
        Column(
            "helpline",
            gettext_lazy("Code of the line (e.g. vbtai_116111)."),
            label=gettext_lazy("Helpline"),
            parse=parse_text(40),
            example="demo_line",
        ),
        Column(
            "helpline_number",
            gettext_lazy("The line's number: registers the line if your institution has not yet."),
            label=gettext_lazy("Helpline number"),
            required=False,
            parse=parse_text(40),
            example="116111",
        ),
        *[_column(record_type, f) for f in fields],
        EXTERNAL_ID,
    ]

    def save_row(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
        values = _defaults(record_type, row)
        values["helpline"] = _line(actor, row)
        return _save(record_type, actor, values, row["external_id"])

    return ImportType(
        name=name,
        label=record_type.label_plural,
        columns=columns,
        save_row=None if bulk else save_row,
        bulk=_bulk(record_type, lines=True) if bulk else None,
        roles=record_type.write_roles,
        key_column="external_id",
        description=description,
        count_for=_counter(record_type),
    )


def _pairs(text: str, parts: int, what: str) -> list[list[str]]:
    out = []
    for item in parse_list(text):
        pieces = [p.strip() for p in item.split(":", parts - 1)]
        if len(pieces) != parts:
            raise ValueError(
                _("Each %(what)s is %(n)d values separated by ':'.") % {"what": what, "n": parts}
            )
        out.append(pieces)
    return out


def _participants(text: str) -> list[tuple[str, str, int]]:
    activities = TYPES["training-participants"].codes
    groups, professions = activities["participant_group"](), activities["profession"]()
    lines = []
    seen = set()
    for group, profession, count in _pairs(text, 3, "participants entry (group:profession:count)"):
        if group not in groups:
            raise ValueError(_("%(code)s is not an institution group code.") % {"code": group})
        if profession not in professions:
            raise ValueError(_("%(code)s is not a profession code.") % {"code": profession})
        number = parse_integer(validators.count, minimum=1)(count)
        if (group, profession) in seen:
            raise ValueError(
                _("%(group)s:%(profession)s appears twice.")
                % {"group": group, "profession": profession}
            )
        seen.add((group, profession))
        lines.append((group, profession, number))
    return lines


def _training_events_type() -> ImportType:
    record_type = TYPES["training-events"]
    participants_type = TYPES["training-participants"]
    columns = [
        *[_column(record_type, f) for f in record_type.fields],
        Column(
            "participants",
            gettext_lazy(
                "Participants as group:profession:count entries separated by ';' "
                "(codes of the profile's participant_groups and professions)."
            ),
            label=gettext_lazy("Participants"),
            parse=_participants,
            example="state_police:police_officer:136; border_guard:border_guard_officer:4",
        ),
        EXTERNAL_ID,
    ]

    def save_row(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
        event, created = _save(record_type, actor, _defaults(record_type, row), row["external_id"])
        assert isinstance(event, TrainingEvent)
        wanted = {(g, p): n for g, p, n in row["participants"]}
        for line in list(event.participations.all()):
            if (line.participant_group, line.profession) not in wanted:
                from thb.activities.services import record_delete

                record_delete(actor=actor, record_type=participants_type, instance=line)
        for (group, profession), count in wanted.items():
            existing = TrainingParticipation.objects.filter(
                event=event, participant_group=group, profession=profession
            ).first()
            record_save(
                actor=actor,
                record_type=participants_type,
                instance=existing,
                values={
                    "event": event,
                    "participant_group": group,
                    "profession": profession,
                    "count": count,
                },
            )
        return event, created

    return ImportType(
        name="training_events",
        label=gettext_lazy("Training events with participants"),
        columns=columns,
        save_row=save_row,
        roles=record_type.write_roles,
        key_column="external_id",
        description=gettext_lazy("One row per event; its participants in one cell."),
        count_for=_counter(record_type),
    )


def _materials(text: str) -> list[tuple[str, str, list[str], str]]:
    kinds = TYPES["campaign-materials"].codes["kind"]()
    topics = TYPES["campaign-materials"].codes["topic"]()
    languages = profile_codes("contact_languages")()
    out = []
    for kind, topic, langs, title in _pairs(text, 4, "material (kind:topic:languages:title)"):
        if kind not in kinds:
            raise ValueError(_("%(code)s is not a material kind code.") % {"code": kind})
        if topic and topic not in topics:
            raise ValueError(_("%(code)s is not a campaign topic code.") % {"code": topic})
        codes = [c.strip() for c in langs.split(",") if c.strip()]
        bad = [c for c in codes if c not in languages]
        if bad:
            raise ValueError(_("Not allowed codes: %(codes)s.") % {"codes": ", ".join(bad)})
        if not title:
            raise ValueError(_("Each material needs a title."))
        out.append((kind, topic, codes, title))
    return out


def _campaigns_type() -> ImportType:
    record_type = TYPES["campaigns"]
    material_type = TYPES["campaign-materials"]
    columns = [
        *[_column(record_type, f) for f in record_type.fields],
        Column(
            "materials",
            gettext_lazy(
                "Materials as kind:topic:subtitle languages (comma-separated):title entries "
                "separated by ';'."
            ),
            label=gettext_lazy("Materials"),
            required=False,
            parse=_materials,
            example="video:sham_marriage:lv,en,ru:Fiktīvās laulības",
        ),
        EXTERNAL_ID,
    ]

    def save_row(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
        campaign, created = _save(
            record_type, actor, _defaults(record_type, row), row["external_id"]
        )
        assert isinstance(campaign, Campaign)
        for index, (kind, topic, languages, title) in enumerate(row.get("materials") or [], 1):
            # Materials take the campaign's id and their position as their own id.
            material_id = f"{row['external_id']}#{index}"
            existing = CampaignMaterial.objects.filter(
                institution_id=actor.institution_id or 0, external_id=material_id
            ).first()
            record_save(
                actor=actor,
                record_type=material_type,
                instance=existing,
                external_id=material_id,
                values={
                    "campaign": campaign,
                    "kind": kind,
                    "topic": topic,
                    "title": title,
                    "subtitle_languages": languages,
                },
            )
        return campaign, created

    return ImportType(
        name="campaigns",
        label=gettext_lazy("Awareness campaigns with materials"),
        columns=columns,
        save_row=save_row,
        roles=record_type.write_roles,
        key_column="external_id",
        description=gettext_lazy("One row per campaign; its materials in one cell."),
        count_for=_counter(record_type),
    )


register(
    _simple_type(
        "detection_records",
        "detection",
        gettext_lazy("Inspections, complaints, cases, proceedings, reports, protocols, talks."),
        bulk=True,
    )
)
register(
    _simple_type(
        "detection_aggregates",
        "detection-aggregate",
        gettext_lazy("A yearly total or average where the institution has no single records."),
    )
)
register(
    _simple_type("helplines", "helplines", gettext_lazy("The lines your institution operates."))
)
register(
    _helpline_child_type(
        "helpline_contacts",
        "helpline-contacts",
        gettext_lazy("Anonymous contacts, one per row."),
        bulk=True,
    )
)
register(
    _helpline_child_type(
        "helpline_aggregates",
        "helpline-aggregates",
        gettext_lazy("A line's totals for a period, where single contacts are not kept."),
    )
)
register(_training_events_type())
register(
    _simple_type(
        "training_totals",
        "training-totals",
        gettext_lazy("The year's headline number of state and municipal employees trained."),
    )
)
register(_campaigns_type())
register(_simple_type("reach", "reach", gettext_lazy("Website and social-media reach per year.")))
register(
    _simple_type("international_projects", "projects", gettext_lazy("International projects."))
)
register(
    _simple_type(
        "contributions",
        "contributions",
        gettext_lazy("Contributions to international bodies."),
        bulk=True,
    )
)
