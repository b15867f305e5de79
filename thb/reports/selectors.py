"""Statistics tables for the pages and the API, built from the report figures.
Aggregates only: no selector here returns a record or an identity."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_countries import countries

from thb.accounts.models import User
from thb.lib.disclosure import suppress_counts
from thb.profiles import get_profile
from thb.reports.figures import Number, report_figures
from thb.reports.policy import can_see_statistics

GROUPS = ("men", "women", "minors")


@dataclass
class Row:
    label: str
    values: list[Number | None]
    ids: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[Number | None, str]]:
        """(value, figure id) pairs; the id is blank in the public edition."""
        ids = self.ids or [""] * len(self.values)
        return list(zip(self.values, ids, strict=True))


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[Row]
    # The last column is each row's total: a row's cells then add up to a published
    # figure, so disclosure control treats each row as a group too.
    row_totals: bool = False


def _country(code: str) -> str:
    return str(countries.name(code)) or code


def _label(section: str, code: str, language: str) -> str:
    profile = get_profile()
    if code in ("unknown", "sector_unknown", "region_unknown"):
        return _("unknown")
    if section == "labour_sectors":
        # A report table may name a sector by its own code (profile report_codes).
        for sector in profile.labour_sectors:
            if code in sector.report_codes.values():
                return sector.label.get(language)
    return profile.label(section, code, language)


def _exploitation_label(key: str, language: str) -> str:
    parts = []
    for piece in key.split("+"):
        form, _dot, sector = piece.partition(".")
        text = _label("exploitation_forms", form, language)
        if sector:
            text += f" ({_label('labour_sectors', sector, language)})"
        parts.append(text)
    return " + ".join(parts)


def _single(figures: dict[str, Number], prefix: str, label_of: object) -> list[Row]:
    rows = []
    for key, value in figures.items():
        if key.startswith(prefix):
            code = key[len(prefix) :]
            values: list[Number | None] = [value]
            rows.append(Row(label_of(code), values, [key]))  # type: ignore[operator]
    return sorted(rows, key=lambda row: -(row.values[0] or 0))


def victim_tables(year: int, language: str) -> list[Table]:
    """The victims part of the annual report as tables."""
    figures = report_figures(year, prefix="victims.")
    group_titles = [_("men"), _("women"), _("minors")]
    tables = [
        Table(
            _("Victims"),
            [_("number")],
            [
                Row(
                    _("assessed (a decision in the year)"),
                    [figures.get("victims.assessed", 0)],
                    ["victims.assessed"],
                ),
                Row(
                    _("identified (recognised in the year)"),
                    [figures.get("victims.identified", 0)],
                    ["victims.identified"],
                ),
                *[
                    Row(
                        title,
                        [figures.get(f"victims.identified.{g}", 0)],
                        [f"victims.identified.{g}"],
                    )
                    for g, title in zip(GROUPS, group_titles, strict=True)
                ],
            ],
        ),
    ]
    citizenships = sorted(
        {k.rsplit(".", 1)[1] for k in figures if k.startswith("victims.citizenship.")},
        key=lambda c: -figures.get(f"victims.citizenship.{c}", 0),
    )
    tables.append(
        Table(
            _("By citizenship"),
            [*group_titles, _("total")],
            [
                Row(
                    _country(c),
                    [
                        *(figures.get(f"victims.citizenship.{g}.{c}", 0) for g in GROUPS),
                        figures.get(f"victims.citizenship.{c}", 0),
                    ],
                    [f"victims.citizenship.{g}.{c}" for g in GROUPS] + [f"victims.citizenship.{c}"],
                )
                for c in citizenships
            ],
            row_totals=True,
        )
    )
    keys = sorted({k.split(".", 3)[3] for k in figures if k.startswith("victims.exploitation.")})
    tables.append(
        Table(
            _("By form of exploitation"),
            group_titles,
            [
                Row(
                    _exploitation_label(key, language),
                    [figures.get(f"victims.exploitation.{g}.{key}", 0) for g in GROUPS],
                    [f"victims.exploitation.{g}.{key}" for g in GROUPS],
                )
                for key in keys
            ],
        )
    )
    simple = [
        (
            _("Primary form (headline totals)"),
            "victims.primary_form.",
            lambda c: _label("exploitation_forms", c, language),
        ),
        (
            _("By place of exploitation"),
            "victims.place.",
            lambda c: (
                f"{_country('LV')} ({_label('regions', c.split('.')[1], language)})"
                if "." in c
                else _country(c)
            ),
        ),
        (
            _("By recruitment method"),
            "victims.recruitment.",
            lambda c: _label("recruitment_methods", c, language),
        ),
        (
            _("By education"),
            "victims.education.",
            lambda c: _label("education_levels", c, language),
        ),
        (_("Referred by"), "victims.referral.", lambda c: _label("referral_channels", c, language)),
    ]
    for title, prefix, label_of in simple:
        tables.append(Table(title, [_("number")], _single(figures, prefix, label_of)))
    tables.append(
        Table(
            _("Assessed but not recognised"),
            [_("number")],
            [
                Row(_not_recognised_label(k, language), [v], [k])
                for k, v in figures.items()
                if k.startswith("victims.not_recognised.")
            ],
        )
    )
    tables.append(
        Table(
            _(
                "Identified in this or the previous year and recognised as injured parties in "
                "criminal proceedings this year"
            ),
            [_("number")],
            [
                Row(
                    _("total"),
                    [figures.get("victims.injured_party_in_proceedings", 0)],
                    ["victims.injured_party_in_proceedings"],
                )
            ]
            + [
                Row(_injured_label(k, language), [v], [k])
                for k, v in figures.items()
                if k.startswith("victims.injured_party_in_proceedings.")
            ],
        )
    )
    return tables


def _not_recognised_label(key: str, language: str) -> str:
    parts = key.split(".")[2:]
    if parts == ["minors"]:
        return str(_("minors"))
    group, country, form = ([*parts, "", "", ""])[:3]
    return f"{_(group)}, {_country(country)}, {_label('exploitation_forms', form, language)}"


def _injured_label(key: str, language: str) -> str:
    parts = key.split(".", 3)[2:]
    country = parts[0]
    rest = parts[1] if len(parts) > 1 else ""
    return (
        f"{_country(country)}, {_exploitation_label(rest, language)}" if rest else _country(country)
    )


def statistics_for(*, actor: User, year: int, language: str) -> dict[str, object]:
    """The internal edition: every figure, for the coordinator."""
    if not can_see_statistics(actor):
        raise PermissionDenied
    return {"tables": victim_tables(year, language), "figures": report_figures(year)}


def public_tables(year: int, language: str) -> list[Table]:
    """The public edition: the same tables after disclosure control. Each column of a
    table is a group (its cells add up to a published total), and so is each row of a
    table with a row-total column, so a single hidden cell cannot be recovered."""
    threshold = settings.THB_SUPPRESSION_THRESHOLD
    tables = victim_tables(year, language)
    for table in tables:
        cells = {
            f"{r}:{c}": v
            for r, row in enumerate(table.rows)
            for c, v in enumerate(row.values)
            if isinstance(v, int)
        }
        by_column: dict[int, list[str]] = {}
        by_row: dict[int, list[str]] = {}
        for key in cells:
            by_column.setdefault(int(key.split(":")[1]), []).append(key)
            by_row.setdefault(int(key.split(":")[0]), []).append(key)
        groups = list(by_column.values())
        if table.row_totals:
            groups += list(by_row.values())
        safe = suppress_counts(cells, threshold=threshold, groups=groups)
        for r, row in enumerate(table.rows):
            row.values = [safe.get(f"{r}:{c}", v) for c, v in enumerate(row.values)]
            row.ids = []
    return tables
