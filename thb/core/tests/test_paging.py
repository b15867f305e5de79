"""Keyset paging (thb/core/paging.py): every row once, in order, forwards and back,
with ties on the ordered field; a cursor that is not one is refused; a list's count
stops at its bound."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thb.accounts.models import Institution, InstitutionKind
from thb.core.paging import Total, bounded_count, decode, encode, keyset_page

pytestmark = pytest.mark.django_db

ORDER = ("-kind", "code", "id")


@pytest.fixture
def institutions():
    kinds = [InstitutionKind.STATE_POLICE, InstitutionKind.COURT, InstitutionKind.MINISTRY]
    for index in range(11):
        Institution.objects.create(
            code=f"i{index % 4}-{index}", name=f"I{index}", kind=kinds[index % 3]
        )
    return list(Institution.objects.order_by(*ORDER))


def test_it_walks_every_row_once_forwards_and_back(institutions):
    pages = [keyset_page(Institution.objects.all(), order=ORDER, size=3)]
    while pages[-1].next:
        pages.append(
            keyset_page(Institution.objects.all(), order=ORDER, cursor=pages[-1].next, size=3)
        )
    assert [row for page in pages for row in page.items] == institutions
    assert pages[0].previous is None and pages[-1].next is None
    back = keyset_page(Institution.objects.all(), order=ORDER, cursor=pages[-1].previous, size=3)
    assert back.items == pages[-2].items
    assert back.next is not None


def test_a_cursor_keeps_dates_and_refuses_strangers():
    values, direction = decode(encode([date(2020, 2, 3), 5], "n"), 2)
    assert values == [date(2020, 2, 3), 5] and direction == "n"
    for bad in ("x", "eyJ2IjpbXX0", encode([1], "n"), encode([1, 2], "sideways")):
        with pytest.raises(ValueError, match="not a cursor"):
            decode(bad, 2)


def test_the_count_stops_at_its_bound(institutions, settings):
    rows = Institution.objects.filter(code__startswith="i")
    assert bounded_count(rows, 11) == Total(count=11, more=False)
    assert bounded_count(rows, 20) == Total(count=11, more=False)
    assert bounded_count(rows, 10) == Total(count=10, more=True)
    settings.THB_LIST_COUNT_MAX = 4
    with CaptureQueriesContext(connection) as queries:
        assert bounded_count(rows.order_by(*ORDER)) == Total(count=4, more=True)
    (query,) = queries.captured_queries
    # One count over a bounded subquery, without the list's ORDER BY.
    assert "LIMIT 5" in query["sql"] and "ORDER BY" not in query["sql"]
