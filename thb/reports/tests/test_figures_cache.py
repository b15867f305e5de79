"""The figures of a year are computed once per change of the records and stored
(thb/reports/cache.py): pages, downloads and the API read them; a write of a record
(a service's save, a bulk import's records_changed) makes them out of date; a closed
year is served from its latest frozen version until the coordinator re-opens it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thb.accounts.models import InstitutionKind, Role
from thb.core import years
from thb.core.changes import records_changed
from thb.core.registry import registry
from thb.interop import services as interop_services
from thb.reports import cache, services
from thb.reports.models import YearFigures
from thb.victims.models import DecisionKind
from thb.victims.services import decision_record
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def computations(monkeypatch):
    """The years computed from the records, in order."""
    seen: list[int] = []
    real = cache.compute_figures

    def counting(year, ids=None):
        seen.append(year)
        return real(year, ids)

    monkeypatch.setattr(cache, "compute_figures", counting)
    return seen


def recognise(owner, *, decided_on=date(2020, 6, 1)):
    case = make_case(owner)
    decision_record(
        actor=owner,
        case=case,
        kind=DecisionKind.COMMISSION,
        decided_on=decided_on,
        recognised=True,
        criteria_met=["purpose_exploitation"],
        members="Chair",
    )
    return case


def identified(client, year=2020):
    response = client.get(reverse("api:figures", args=[year]), {"prefix": "victims.identified"})
    assert response.status_code == 200, response.content
    return response.json()["figures"]["victims.identified"]


def test_a_change_of_a_record_shows_and_no_change_computes_nothing(
    client_for, owner, coordinator, computations
):
    client = client_for(coordinator)
    recognise(owner)
    assert identified(client) == 1
    assert computations == [2020]
    assert identified(client) == 1
    client.get(reverse("reports:statistics"), {"year": 2020})
    before = list(computations)
    client.get(reverse("reports:statistics"), {"year": 2020})
    client.get(reverse("reports:public_statistics"), {"year": 2020})
    assert computations == before  # nothing changed: nothing computed again

    recognise(owner)
    assert identified(client) == 2
    assert computations[len(before)] == 2020


def test_the_second_anonymous_request_reads_the_store_in_few_queries(client, owner, computations):
    recognise(owner)
    url = reverse("reports:public_statistics")
    client.get(url, {"year": 2020})
    computed = len(computations)
    assert computed >= 1
    counts = []
    for _request in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"year": 2020})
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(computations) == computed
    # The generation row, the years with records, closed years (2), one stored row
    # per year shown: a handful, whatever the number of records.
    assert counts[0] == counts[1] <= 12


def test_the_anonymous_page_stays_constant_as_records_grow(client, owner):
    url = reverse("reports:public_statistics")
    counts: list[int] = []
    recognise(owner)
    for more in (0, 5):
        for _case in range(more):
            recognise(owner)
        client.get(url, {"year": 2020})
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"year": 2020})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_import_names_its_years_and_earlier_years_keep_their_figures(computations):
    for year in (2019, 2020, 2021):
        cache.year_figures(year)
    assert computations == [2019, 2020, 2021]
    records_changed([2020])
    for year in (2019, 2020, 2021):
        cache.year_figures(year)
    # 2019 counts no record of 2020; 2020 and every later year may.
    assert computations == [2019, 2020, 2021, 2020, 2021]
    records_changed()
    cache.year_figures(2019)
    assert computations[-1] == 2019


def test_a_bulk_write_of_activity_records_is_declared(make_user, make_institution, computations):
    from thb.activities.record_types import TYPES
    from thb.activities.services import record_bulk_create

    inspectorate = make_institution("vbtai", InstitutionKind.CHILDRENS_RIGHTS, "VBTAI")
    reporter = make_user("reporter", Role.REPORTER, inspectorate)
    cache.year_figures(2019)
    cache.year_figures(2020)
    computed = list(computations)
    # bulk_create sends no signal: the service names the rows' year itself.
    record_bulk_create(
        actor=reporter,
        record_type=TYPES["detection"],
        rows=[
            {"kind": "complaint", "date": date(2020, 2, day), "thb_related": True} for day in (1, 2)
        ],
    )
    cache.year_figures(2019)
    cache.year_figures(2020)
    assert computations == [*computed, 2020]


def test_the_years_with_records_are_found_once_per_change(monkeypatch, owner):
    calls: list[int] = []

    def found() -> set[int]:
        calls.append(1)
        return {2020}

    monkeypatch.setattr(registry, "record_years", [found])
    assert years.record_years() == {2020}
    assert years.record_years() == {2020}
    assert len(calls) == 1
    records_changed()
    assert years.record_years() == {2020}
    assert len(calls) == 2


def test_a_computation_in_progress_is_waited_for_not_repeated(monkeypatch, computations):
    from django.utils import timezone

    cache.year_figures(2020)
    records_changed()
    # Another process has taken the computation.
    YearFigures.objects.filter(year=2020).update(claimed_until=timezone.now() + cache.CLAIM)
    polls: list[float] = []

    def other_process_finishes(seconds):
        polls.append(seconds)
        cache.refresh(2020)

    monkeypatch.setattr(cache.time, "sleep", other_process_finishes)
    computed = len(computations)
    cache.year_figures(2020)
    assert len(polls) == 1
    # Only the other process's computation ran (refresh), not a second one here.
    assert len(computations) == computed + 1


# Closed years ---------------------------------------------------------------------------


@pytest.fixture
def reporter(make_user, make_institution):
    guard = make_institution("vrs", InstitutionKind.BORDER_GUARD, "Robežsardze")
    return make_user("reporter", Role.REPORTER, guard)


def submit(reporter, coordinator, *, accept=True):
    submission = interop_services.submission_start(actor=reporter, year=2020)
    interop_services.submission_save_texts(
        actor=reporter, submission=submission, texts={_section(): {"lv": "Teksts.", "en": "Text."}}
    )
    interop_services.submission_submit(actor=reporter, submission=submission)
    if accept:
        interop_services.submission_accept(actor=coordinator, submission=submission)
    return submission


def _section():
    from thb.profiles import get_profile

    return get_profile().reporting.report_sections[0].code


def test_a_closed_year_is_served_from_its_snapshot_until_reopened(
    client_for, owner, coordinator, reporter
):
    client = client_for(coordinator)
    recognise(owner)
    submission = submit(reporter, coordinator)
    version = services.report_version_freeze(actor=coordinator, year=2020)
    assert cache.closed_version(2020) == version

    recognise(owner)  # a correction after the report was published
    assert identified(client) == 1
    public = Client().get(reverse("reports:public_statistics"), {"year": 2020})
    assert public.context["document"].metadata["version"]["number"] == version.number
    statistics = client.get(reverse("reports:statistics"), {"year": 2020})
    assert statistics.context["document"].figures["victims.identified"] == 1

    services.report_year_reopen(actor=coordinator, year=2020, reason="A late decision.")
    assert cache.closed_version(2020) is None
    assert identified(client) == 2
    again = services.report_version_freeze(actor=coordinator, year=2020)
    assert cache.closed_version(2020) == again
    assert again.figures["2020"]["victims.identified"] == 2
    assert [r["id"] for r in again.revisions if r["id"] == "victims.identified"]

    # Reopening an institution's submission re-opens the year too.
    interop_services.submission_reopen(actor=coordinator, submission=submission, reason="Fix.")
    assert cache.closed_version(2020) is None


def test_a_year_with_a_submission_not_accepted_is_not_closed(owner, coordinator, reporter):
    recognise(owner)
    submit(reporter, coordinator, accept=False)
    services.report_version_freeze(actor=coordinator, year=2020)
    assert cache.closed_version(2020) is None


def test_an_accepted_submission_after_the_freeze_reopens_the_year(owner, coordinator, reporter):
    recognise(owner)
    submission = submit(reporter, coordinator, accept=False)
    services.report_version_freeze(actor=coordinator, year=2020)
    interop_services.submission_accept(actor=coordinator, submission=submission)
    # Accepted after the version was frozen: the version does not hold it yet.
    assert cache.closed_version(2020) is None


def test_the_download_of_a_closed_year_is_its_frozen_version(client_for, owner, coordinator):
    recognise(owner)
    version = services.report_version_freeze(actor=coordinator, year=2020)
    recognise(owner)
    response = Client().get(
        reverse("reports:public_download"), {"year": "2020", "language": "en", "format": "json"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["metadata"]["version"]["number"] == version.number


def test_only_the_coordinator_reopens_a_closed_year(owner, coordinator, make_user, ministry):
    from django.core.exceptions import PermissionDenied, ValidationError

    recognise(owner)
    admin = make_user("admin2", Role.ADMINISTRATOR, ministry)
    with pytest.raises(ValidationError):
        services.report_year_reopen(actor=coordinator, year=2020, reason="Not closed yet.")
    services.report_version_freeze(actor=coordinator, year=2020)
    with pytest.raises(PermissionDenied):
        services.report_year_reopen(actor=admin, year=2020, reason="No.")
    with pytest.raises(ValidationError):
        services.report_year_reopen(actor=coordinator, year=2020, reason="  ")


def test_the_coordinator_reopens_a_closed_year_on_the_annual_page(client_for, owner, coordinator):
    recognise(owner)
    services.report_version_freeze(actor=coordinator, year=2020)
    client = client_for(coordinator)
    page = client.get(reverse("reports:annual"), {"year": 2020})
    assert 'id="closed-year"' in page.content.decode()
    response = client.post(reverse("reports:reopen"), {"year": 2020, "reason": "A late decision."})
    assert response.status_code == 302
    assert cache.closed_version(2020) is None
    assert (
        'id="closed-year"'
        not in client.get(reverse("reports:annual"), {"year": 2020}).content.decode()
    )
