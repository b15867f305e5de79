"""The linkage measure of the figure catalogue (profiles/<cc>/figures-linkage.yaml).

linkage.links counts, among the cases with an identification decision in the year,
those the victims statistics leave out as another institution's record of a person
already counted (both owners confirmed the link; victims.figures.counted_once): how
many links the year's figures applied. Two aggregate queries, no loop over records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext_lazy as _

from thb.core.registry import Number, register_measure, register_report_records
from thb.linkage.models import LinkCandidate
from thb.profiles.sections.figures import FigureDef
from thb.victims.figures import STATUSES, counted_once
from thb.victims.models import Case


def _links(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    linked = Case.objects.filter(
        status__in=STATUSES["assessed"], decided_on__year=year, linked_group__isnull=False
    ).order_by()
    applied = linked.count() - counted_once(linked).count()
    return {figure.id: applied for figure in figures}


def _check(figure: FigureDef) -> None:
    if figure.filters:
        raise ValueError(f"linkage.links takes no filters (got {sorted(figure.filters)})")


def register() -> None:
    register_measure(
        "linkage.links",
        records=_(
            "cases decided in the year that the statistics do not count again: another "
            "institution's record of a person already counted, linked by both owners"
        ),
        compute=_links,
        filters={},
        check=_check,
    )
    register_report_records(LinkCandidate)
