"""The case list (page and API) and a case's page read in a number of queries that
does not grow with the data: measured at two sizes, equal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thb.core.tests.lists import every_row, queries_of
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db


def _cases(owner, count):
    citizenships = ("LV", "UZ", "TJ", "LT")
    return [
        make_case(
            owner,
            citizenship=citizenships[index % 4],
            forms=(("labour", "construction"), ("sexual", "")),
            places=(("LV", "riga"), ("DE", "")),
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("url", [reverse("victims:case_list"), "/api/v1/cases/"])
def test_the_case_list_reads_in_constantqueries_of(client_for, owner, url):
    client = client_for(owner)
    _cases(owner, 3)
    small = queries_of(client, url)
    _cases(owner, 27)
    assert queries_of(client, url) == small


def test_a_case_page_reads_in_constantqueries_of(client_for, owner):
    client = client_for(owner)
    first = _cases(owner, 1)[0]
    url = reverse("victims:case_detail", args=[first.person.code])
    small = queries_of(client, url)
    _cases(owner, 29)
    assert queries_of(client, url) == small


def test_the_case_list_pages_by_cursor(client_for, owner, settings):
    settings.THB_PAGE_SIZE = 4
    cases = _cases(owner, 10)
    client = client_for(owner)
    codes = every_row(client, "/api/v1/cases/", "code", most=10)
    assert sorted(codes) == sorted(case.person.code for case in cases)
    page = client.get(reverse("victims:case_list")).content.decode()
    assert 'rel="next"' in page and "10" in page
