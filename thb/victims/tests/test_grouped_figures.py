"""The victims figures are sums of a few grouped queries: several years at once give
what each year alone gives, in the same few queries whatever the number of years."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from thb.reports.catalogue import catalogue, compute_figures, compute_years

YEARS = [2018, 2019, 2020, 2021]


def _victims_ids() -> list[str]:
    return [figure_id for figure_id in catalogue() if figure_id.startswith("victims.")]


def test_several_years_at_once_equal_each_year_alone(demo):
    ids = _victims_ids()
    together = compute_years(YEARS, ids)
    assert together[2020]["victims.identified"] == 48  # the reference's
    for year in YEARS:
        assert together[year] == compute_figures(year, ids)
    assert any(together[2019].values())


def test_the_queries_do_not_grow_with_the_years(demo):
    ids = _victims_ids()
    with CaptureQueriesContext(connection) as one:
        compute_years([2020], ids)
    with CaptureQueriesContext(connection) as four:
        compute_years(YEARS, ids)
    assert len(one) == len(four)
    # victims.cases: two GROUP BY queries for Latvia's catalogue; victims.places: two;
    # victims.trends: three (the case's columns, its factors, its transit countries).
    assert len(four) <= 7
