"""The residence API follows the same scope as the pages."""

from datetime import date

import pytest

from thb.residence import services

pytestmark = pytest.mark.django_db


def test_the_owner_reads_the_track_and_a_colleague_gets_404(case, owner, colleague, client_for):
    services.information_record(actor=owner, case=case, given_on=date(2020, 10, 2))
    response = client_for(owner).get(f"/api/v1/residence/{case.person.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["deadlines"][0]["due_on"] == "2020-10-05"
    assert "Section 4(1)" in body["deadlines"][0]["legal_basis"]["en"]
    assert client_for(colleague).get(f"/api/v1/residence/{case.person.code}").status_code == 404


def test_the_deadlines_endpoint_is_scoped(case, owner, outsider, client_for):
    services.information_record(actor=owner, case=case, given_on=date(2020, 10, 2))
    assert [d["case"] for d in client_for(owner).get("/api/v1/residence/deadlines").json()] == [
        case.person.code
    ]
    # A role with no deadlines has no business here: 403, as on the page.
    assert client_for(outsider).get("/api/v1/residence/deadlines").status_code == 403
