"""The residence measures of the report's figure catalogue
(profiles/<cc>/figures-residence.yaml): reflection periods granted and residence
permits issued to victims in the year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from thb.core.registry import (
    Number,
    register_measure,
    register_record_years,
    register_report_records,
)
from thb.profiles.sections.figures import FigureDef
from thb.residence.selectors import reflection_periods_granted, residence_permits_granted

DECISIONS = {
    "reflection_period": reflection_periods_granted,
    "residence_permit": residence_permits_granted,
}


def _decisions(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    return {f.id: DECISIONS[str(f.filter("decision"))](year) for f in figures}


def _check(figure: FigureDef) -> None:
    if figure.filter("decision") not in DECISIONS:
        raise ValueError(f"filter decision must be one of {', '.join(DECISIONS)}")


def record_years() -> set[int]:
    """Years with a reflection-period decision, a permit request or a permit issued."""
    from thb.residence.models import PermitRequest, ResidencePermit, ResidenceTrack

    tracks = ResidenceTrack.objects.filter(reflection_decided_on__isnull=False)
    years = {d.year for d in tracks.dates("reflection_decided_on", "year")}
    years |= {d.year for d in PermitRequest.objects.dates("requested_on", "year")}
    years |= {d.year for d in ResidencePermit.objects.dates("issued_on", "year")}
    return years


def register() -> None:
    register_record_years(record_years)
    # Every model of the app: a write of any of them may change a figure.
    register_report_records(*apps.get_app_config("residence").get_models())
    register_measure(
        "residence.granted",
        records=_(
            "residence tracks of foreign victims: reflection periods granted, and "
            "temporary residence permits issued to victims (each victim once), in the year"
        ),
        compute=_decisions,
        filters={"decision": _("decision: reflection period or residence permit")},
        check=_check,
    )
