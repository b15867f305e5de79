"""The deadlines page and API read one page of deadlines in a number of queries that
does not grow with the deadlines (two sizes, equal), and page through them by cursor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from thb.core.tests.lists import every_row, queries_of
from thb.residence import services

pytestmark = pytest.mark.django_db


def _cases(make_case, count, start=0):
    today = timezone.localdate()
    for index in range(start, start + count):
        make_case(code=f"UZ{index:04d}", citizenship="UZ", decided_on=today - timedelta(days=1))
    # Each new non-EU victim's application deadline (as `thb deadlines notify` opens them).
    assert services.deadlines_open_for_new_victims(today=today) == count


@pytest.mark.parametrize("url", [reverse("residence:deadlines"), "/api/v1/residence/deadlines"])
def test_the_deadlines_read_in_constantqueries_of(make_case, owner, client_for, url):
    client = client_for(owner)
    _cases(make_case, 3)
    small = queries_of(client, url)
    _cases(make_case, 27, start=3)
    assert queries_of(client, url) == small


def test_the_deadlines_are_paged(make_case, owner, client_for, settings):
    settings.THB_PAGE_SIZE = 4
    _cases(make_case, 9)
    client = client_for(owner)
    page = client.get(reverse("residence:deadlines")).content.decode()
    assert sum(f"UZ{index:04d}" in page for index in range(9)) == 4
    assert 'rel="next"' in page
    codes = every_row(client, "/api/v1/residence/deadlines", "case", most=9)
    assert sorted(codes) == [f"UZ{index:04d}" for index in range(9)]
