from datetime import date

import pytest

from thb.justice.services import InjuredPartyData, injured_party_add
from thb.victims.models import Case, Person

pytestmark = pytest.mark.django_db


def test_the_api_lists_and_shows_own_proceedings(client_for, investigator, proceeding, suspect):
    client = client_for(investigator)
    listing = client.get("/api/v1/justice/proceedings").json()
    assert [p["number"] for p in listing] == [proceeding.number]
    detail = client.get(f"/api/v1/justice/proceedings/{proceeding.pk}").json()
    assert detail["sections"] == ["154.1"]
    assert detail["suspects"][0]["citizenship"] == "LV"


def test_the_api_is_scoped(client_for, other_investigator, outsider, proceeding):
    assert client_for(other_investigator).get("/api/v1/justice/proceedings").json() == []
    assert (
        client_for(other_investigator)
        .get(f"/api/v1/justice/proceedings/{proceeding.pk}")
        .status_code
        == 404
    )
    assert client_for(outsider).get("/api/v1/justice/proceedings").status_code == 404


def test_the_coordinator_gets_injured_parties_as_a_count_only(
    client_for, investigator, coordinator, proceeding, provider
):
    person = Person.objects.create(code="CODE2345", sex="male", citizenship="TJ")
    case = Case.objects.create(
        person=person,
        institution=provider,
        status="recognised",
        intake_date=date(2020, 1, 10),
        referral_channel="self",
    )
    injured_party_add(
        actor=investigator,
        proceeding=proceeding,
        data=InjuredPartyData(recognised_on=date(2020, 3, 1), case=case),
    )
    own = client_for(investigator).get(f"/api/v1/justice/proceedings/{proceeding.pk}").json()
    assert own["injured_parties"][0]["case_code"] == "CODE2345"
    theirs = client_for(coordinator).get(f"/api/v1/justice/proceedings/{proceeding.pk}").json()
    assert theirs["injured_parties_total"] == 1
    assert theirs["injured_parties"] == []
    assert "CODE2345" not in str(theirs)
