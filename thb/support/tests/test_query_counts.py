"""The plans list, a plan's page and its service log read in a number of queries that
does not grow with the data (two sizes, equal); the plans list pages by cursor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from thb.core.tests.lists import queries_of
from thb.support import services
from thb.support.tests.conftest import delivery

pytestmark = pytest.mark.django_db


def _plans(owner, provider, make_case, make_plan, count, start=0):
    for index in range(start, start + count):
        case = make_case(f"PL{index:04d}", provider, decided_on=date(2020, 3, 1 + index % 28))
        make_plan(owner, case)


def test_the_plans_list_reads_in_constantqueries_of(
    client_for, owner, provider, make_case, make_plan
):
    client = client_for(owner)
    _plans(owner, provider, make_case, make_plan, 3)
    small = queries_of(client, reverse("support:index"))
    _plans(owner, provider, make_case, make_plan, 27, start=3)
    assert queries_of(client, reverse("support:index")) == small


def test_the_plans_list_pages_by_cursor(
    client_for, owner, provider, make_case, make_plan, settings
):
    settings.THB_PAGE_SIZE = 4
    _plans(owner, provider, make_case, make_plan, 6)
    page = client_for(owner).get(reverse("support:index")).content.decode()
    assert sum(f"PL{index:04d}" in page for index in range(6)) == 4
    assert 'rel="next"' in page


@pytest.mark.parametrize("name", ["support:plan", "support:services"])
def test_a_plans_pages_read_in_constantqueries_of(client_for, owner, case, plan, name):
    client = client_for(owner)
    url = reverse(name, args=[case.person.code])
    for day in range(3):
        services.service_deliver(
            actor=owner, plan=plan, data=delivery(date(2020, 3, 3) + timedelta(days=day))
        )
    small = queries_of(client, url)
    for day in range(3, 30):
        services.service_deliver(
            actor=owner, plan=plan, data=delivery(date(2020, 3, 3) + timedelta(days=day))
        )
    assert queries_of(client, url) == small
