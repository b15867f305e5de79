"""The activity lists (page and API) read one page of records in a number of queries
that does not grow with the records (two sizes, equal), and page through them by
cursor."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from thb.activities.record_types import TYPES
from thb.activities.services import record_bulk_create
from thb.core.tests.lists import every_row, queries_of

pytestmark = pytest.mark.django_db


def _records(reporter, count, start=0):
    record_bulk_create(
        actor=reporter,
        record_type=TYPES["detection"],
        rows=[
            {"kind": "complaint", "date": date(2020, 1 + i % 12, 1 + i % 28), "thb_related": True}
            for i in range(start, start + count)
        ],
    )


@pytest.mark.parametrize(
    "url",
    [reverse("activities:record_list", args=["detection"]), "/api/v1/activities/detection/"],
)
def test_an_activity_list_reads_in_constantqueries_of(client_for, reporter, url):
    client = client_for(reporter)
    _records(reporter, 3)
    small = queries_of(client, url)
    _records(reporter, 27, start=3)
    assert queries_of(client, url) == small


def test_an_activity_list_pages_by_cursor(client_for, reporter, settings):
    settings.THB_PAGE_SIZE = 7
    _records(reporter, 20)
    client = client_for(reporter)
    ids = every_row(client, "/api/v1/activities/detection/", "id", most=20)
    assert len(set(ids)) == 20
    page = client.get(reverse("activities:record_list", args=["detection"])).content.decode()
    assert 'rel="next"' in page
