"""The home page's dashboard reads in a number of queries that does not grow with the
records, for each role: measured at two sizes, equal."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from thb.accounts.models import Role
from thb.justice.services import ProceedingData, StageData, proceeding_create, stage_add
from thb.residence import services as residence
from thb.victims.models import DecisionKind
from thb.victims.services import decision_record
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db

CRITERIA = ["act_recruitment_transport", "means_deception", "purpose_exploitation"]


def _queries(client) -> int:
    client.get(reverse("core:home"))  # the first request after a change stores figures
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert b'class="dashboard"' in response.content
    return len(queries)


def _victims(owner, police, count: int) -> None:
    for index in range(count):
        case = make_case(owner, citizenship=("TJ", "LV", "UZ")[index % 3])
        if index % 2:
            decision_record(
                actor=owner,
                case=case,
                kind=DecisionKind.COMMISSION,
                decided_on=date(2020, 5, 4),
                recognised=True,
                criteria_met=CRITERIA,
                members="A\nB\nC",
            )
            if case.person.citizenship != "LV":
                residence.information_record(actor=owner, case=case, given_on=date(2020, 5, 4))


def _proceedings(director, prosecutors, start: int, count: int) -> None:
    for index in range(start, start + count):
        proceeding = proceeding_create(
            actor=director,
            data=ProceedingData(
                number=f"118160001{index:02d}",
                sections=["154.1"],
                started_on=date(2020, 2, 3),
                exploitation_form="labour",
                sector="construction",
            ),
        )
        if index % 2:
            stage_add(
                actor=director,
                proceeding=proceeding,
                data=StageData(
                    kind="transferred_for_prosecution",
                    on=date(2020, 4, 1),
                    institution=prosecutors,
                ),
            )


def test_the_caseworkers_dashboard(owner, police, client_for):
    client = client_for(owner)
    _victims(owner, police, 3)
    small = _queries(client)
    _victims(owner, police, 12)
    assert _queries(client) == small


def test_the_process_directors_dashboard(make_user, police, make_institution, client_for):
    from thb.accounts.models import InstitutionKind

    director = make_user("director", Role.PROCESS_DIRECTOR, police)
    prosecutors = make_institution("prokuratura", InstitutionKind.PROSECUTOR, "Prokuratūra")
    client = client_for(director)
    _proceedings(director, prosecutors, 0, 2)
    small = _queries(client)
    _proceedings(director, prosecutors, 2, 10)
    assert _queries(client) == small


def test_the_coordinators_dashboard(owner, police, coordinator, client_for):
    client = client_for(coordinator)
    _victims(owner, police, 3)
    small = _queries(client)
    _victims(owner, police, 12)
    assert _queries(client) == small
    assert timezone.localdate().year > 2020
