"""A measure that answers several years in one pass (`compute_years`, grouped by
year) gives, for each year, what it gives for that year alone (`compute`): on the
demo data, for every such measure, over years with and without records."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from thb.core.registry import registry
from thb.reports.catalogue import catalogue

pytestmark = pytest.mark.django_db

YEARS = [2016, 2018, 2019, 2020, 2021]


def _batches():
    batches = defaultdict(list)
    for figure in catalogue().values():
        batches[(figure.measure, figure.year_offset)].append(figure)
    return batches


def test_every_measure_of_several_years_equals_its_years_one_by_one(demo):
    grouped = 0
    for (name, offset), figures in _batches().items():
        measure = registry.measure(name)
        if measure.compute_years is None:
            continue
        years = [year + offset for year in YEARS]
        together = measure.compute_years(years, figures)
        for year in years:
            alone = measure.compute(year, figures)
            assert {f.id: together[year].get(f.id, 0) for f in figures} == {
                f.id: alone.get(f.id, 0) for f in figures
            }, (name, year)
        grouped += 1
    # Justice, activities, referrals, victims and funding measures answer years together.
    assert grouped >= 20


def test_a_moment_counts_in_the_year_of_the_profile_time_zone():
    """A helpline contact at 23:30 UTC on 31 December is on 1 January in Riga: it counts
    in the next year, grouped as the year filter picks it."""
    from django.db.models import Count

    from thb.accounts.models import Institution
    from thb.activities.models import Helpline, HelplineContact
    from thb.core.aggregates import aggregate_years

    institution = Institution.objects.create(code="hl-x", name="HL", kind="helpline")
    line = Helpline.objects.create(institution=institution, code="x", name="X")
    moment = datetime(2020, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    HelplineContact.objects.create(
        institution=institution, helpline=line, received_at=moment, channel="call"
    )
    found = aggregate_years(
        HelplineContact.objects.all(), "received_at", [2020, 2021], {"n": Count("id")}
    )
    assert found[2021]["n"] == 1 and found[2020]["n"] is None
    assert HelplineContact.objects.filter(received_at__year=2021).count() == 1
