"""The proceedings list (page and API) and a proceeding's page read in a number of
queries that does not grow with the data: measured at two sizes, equal. A
proceeding's linked injured parties are one audit event naming them all."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.core.tests.lists import every_row, queries_of
from thb.justice.services import (
    InjuredPartyData,
    ProceedingData,
    injured_party_add,
    proceeding_create,
)
from thb.victims.models import Case, Person

pytestmark = pytest.mark.django_db


def _add_proceedings(investigator, count, start=0):
    for index in range(start, start + count):
        proceeding_create(
            actor=investigator,
            data=ProceedingData(
                number=f"1181600{index:04d}",
                sections=["154.1", "165"] if index % 2 else ["154.1"],
                started_on=date(2020, 1 + index % 12, 1 + index % 28),
                exploitation_form="labour",
                sector="construction",
            ),
        )


@pytest.mark.parametrize("url", [reverse("justice:proceeding_list"), "/api/v1/justice/proceedings"])
def test_the_proceedings_list_reads_in_constantqueries_of(client_for, investigator, url):
    client = client_for(investigator)
    _add_proceedings(investigator, 3)
    small = queries_of(client, url)
    _add_proceedings(investigator, 27, start=3)
    assert queries_of(client, url) == small


def test_the_proceedings_list_pages_by_cursor(client_for, investigator, settings):
    settings.THB_PAGE_SIZE = 4
    _add_proceedings(investigator, 10)
    client = client_for(investigator)
    seen = every_row(client, "/api/v1/justice/proceedings", "id", most=10)
    assert len(seen) == len(set(seen)) == 10
    page = client.get(reverse("justice:proceeding_list"))
    assert 'rel="next"' in page.content.decode()


def _link_parties(investigator, proceeding, provider, count, start=0):
    for index in range(start, start + count):
        person = Person.objects.create(code=f"QW{index:06d}", sex="male", citizenship="UZ")
        case = Case.objects.create(
            person=person,
            institution=provider,
            status="recognised",
            intake_date=date(2020, 1, 10),
            referral_channel="self",
            proceeding_institution=proceeding.institution,
        )
        injured_party_add(
            actor=investigator,
            proceeding=proceeding,
            data=InjuredPartyData(recognised_on=date(2020, 3, 1), case=case, sex="male"),
        )


@pytest.mark.parametrize(
    "url",
    [
        lambda pk: reverse("justice:proceeding_detail", args=[pk]),
        lambda pk: f"/api/v1/justice/proceedings/{pk}",
    ],
)
def test_a_proceedings_linked_parties_are_constant_queries_and_one_audit_event(
    client_for, investigator, proceeding, provider, url
):
    client = client_for(investigator)
    _link_parties(investigator, proceeding, provider, 3)
    small = queries_of(client, url(proceeding.pk))
    _link_parties(investigator, proceeding, provider, 27, start=3)
    assert queries_of(client, url(proceeding.pk)) == small
    events = AuditEvent.objects.filter(object_type="justice.injuredparty", action="read")
    before = events.count()
    assert client.get(url(proceeding.pk)).status_code == 200
    assert events.count() == before + 1
    event = events.order_by("-seq").first()
    assert event is not None and len(event.details["codes"]) == 30


def test_the_proceedings_list_counts_no_further_than_the_bound(client_for, investigator, settings):
    """The caption counts at most THB_LIST_COUNT_MAX proceedings (a COUNT over a LIMIT),
    then says "more than": the count does not read every proceeding in scope."""
    settings.THB_LIST_COUNT_MAX = 5
    _add_proceedings(investigator, 4)
    client = client_for(investigator, language="en")
    url = reverse("justice:proceeding_list")
    assert "4 proceedings" in client.get(url).content.decode()
    _add_proceedings(investigator, 3, start=4)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "more than 5 proceedings" in page and "7 proceedings" not in page
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 6" in sql for sql in counts), counts
