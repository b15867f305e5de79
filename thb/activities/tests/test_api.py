import pytest

pytestmark = pytest.mark.django_db


def test_the_reporter_lists_its_own_records(reporter, inspection, client_for):
    data = client_for(reporter).get("/api/v1/activities/detection/?year=2020").json()
    assert [r["id"] for r in data] == [inspection.pk]
    assert data[0]["institution"] == "vbtai" and data[0]["aggregate"] is False


def test_a_colleague_gets_an_empty_list(other_reporter, inspection, client_for):
    assert client_for(other_reporter).get("/api/v1/activities/detection/").json() == []


def test_an_outsider_is_refused(owner, inspection, client_for):
    assert client_for(owner).get("/api/v1/activities/detection/").status_code == 403


def test_the_coordinator_lists_all_and_reads_the_figures(coordinator, inspection, client_for):
    client = client_for(coordinator)
    assert len(client.get("/api/v1/activities/detection/?year=2020").json()) == 1
    figures = client.get("/api/v1/activities/figures/2020").json()["figures"]
    assert (
        figures["detection.childrens_rights_inspectorate.inspections_out_of_family_care"]["value"]
        == 1
    )


def test_the_figures_are_the_coordinators(reporter, client_for):
    assert client_for(reporter).get("/api/v1/activities/figures/2020").status_code == 403
