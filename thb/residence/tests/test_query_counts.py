"""The deadlines page and API read one page of deadlines in a number of queries that
does not grow with the deadlines (two sizes, equal), and page through them by cursor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from thb.residence import services

pytestmark = pytest.mark.django_db


def _cases(make_case, count, start=0):
    today = timezone.localdate()
    for index in range(start, start + count):
        make_case(code=f"UZ{index:04d}", citizenship="UZ", decided_on=today - timedelta(days=1))
    # Each new non-EU victim's application deadline (as `thb deadlines notify` opens them).
    assert services.deadlines_open_for_new_victims(today=today) == count


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize("url", [reverse("residence:deadlines"), "/api/v1/residence/deadlines"])
def test_the_deadlines_read_in_constant_queries(make_case, owner, client_for, url):
    client = client_for(owner)
    _cases(make_case, 3)
    small = _queries(client, url)
    _cases(make_case, 27, start=3)
    assert _queries(client, url) == small


def test_the_deadlines_are_paged(make_case, owner, client_for, settings):
    settings.THB_PAGE_SIZE = 4
    _cases(make_case, 9)
    client = client_for(owner)
    page = client.get(reverse("residence:deadlines")).content.decode()
    assert sum(f"UZ{index:04d}" in page for index in range(9)) == 4
    assert 'rel="next"' in page
    codes: list[str] = []
    url = "/api/v1/residence/deadlines"
    while url:
        response = client.get(url)
        codes += [row["case"] for row in response.json()]
        cursor = response.headers.get("X-Next-Cursor")
        url = f"/api/v1/residence/deadlines?cursor={cursor}" if cursor else ""
        assert len(codes) <= 9
    assert sorted(codes) == [f"UZ{index:04d}" for index in range(9)]
