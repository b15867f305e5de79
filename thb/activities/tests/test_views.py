"""Every activity page for the owner (the institution's reporter), a colleague at another
institution, an outsider (a caseworker) and the coordinator."""

import pytest
from django.urls import reverse

from thb.activities.models import DetectionAggregate, DetectionRecord
from thb.activities.record_types import TYPES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", sorted(TYPES))
def test_the_list_of_each_type_opens_for_a_reporter(slug, reporter, client_for):
    response = client_for(reporter).get(
        reverse("activities:record_list", args=[slug]), {"year": 2020}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("slug", sorted(TYPES))
def test_the_form_of_each_type_opens_for_those_who_may_write_it(
    slug, reporter, coordinator, client_for
):
    writer = coordinator if slug == "training-totals" else reporter
    response = client_for(writer).get(reverse("activities:record_create", args=[slug]))
    assert response.status_code == 200
    assert b'<form method="post" class="stacked"' in response.content


def test_the_owner_sees_its_record_in_the_list_and_opens_it(reporter, inspection, client_for):
    client = client_for(reporter)
    listing = client.get(reverse("activities:record_list", args=["detection"]), {"year": 2020})
    assert (
        reverse("activities:record_detail", args=["detection", inspection.pk]).encode()
        in listing.content
    )
    assert (
        client.get(
            reverse("activities:record_detail", args=["detection", inspection.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("activities:record_edit", args=["detection", inspection.pk])).status_code
        == 200
    )


def test_the_year_filter_hides_other_years(reporter, inspection, client_for):
    listing = client_for(reporter).get(
        reverse("activities:record_list", args=["detection"]), {"year": 2019}
    )
    assert (
        reverse("activities:record_detail", args=["detection", inspection.pk]).encode()
        not in listing.content
    )


def test_a_colleague_neither_sees_nor_opens_the_record(other_reporter, inspection, client_for):
    client = client_for(other_reporter)
    listing = client.get(reverse("activities:record_list", args=["detection"]))
    assert (
        reverse("activities:record_detail", args=["detection", inspection.pk]).encode()
        not in listing.content
    )
    assert (
        client.get(
            reverse("activities:record_detail", args=["detection", inspection.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("activities:record_edit", args=["detection", inspection.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("activities:record_edit", args=["detection", inspection.pk]), {"count": 9}
    )
    assert response.status_code == 404
    inspection.refresh_from_db()
    assert inspection.count == 1


@pytest.mark.parametrize("name", ["home", "statistics"])
def test_an_outsider_is_refused(name, owner, client_for):
    # The statistics address leads to the report's activities statistics.
    response = client_for(owner).get(reverse(f"activities:{name}"), follow=True)
    assert response.status_code == 403


def test_an_outsider_is_refused_the_record_pages(owner, inspection, client_for):
    client = client_for(owner)
    assert client.get(reverse("activities:record_list", args=["detection"])).status_code == 403
    assert client.get(reverse("activities:record_create", args=["detection"])).status_code == 403
    assert (
        client.get(
            reverse("activities:record_detail", args=["detection", inspection.pk])
        ).status_code
        == 403
    )


def test_an_anonymous_visitor_is_sent_to_log_in(client, inspection):
    response = client.get(reverse("activities:record_list", args=["detection"]))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_the_coordinator_sees_every_institutions_record_but_does_not_edit_it(
    coordinator, inspection, client_for
):
    client = client_for(coordinator)
    listing = client.get(reverse("activities:record_list", args=["detection"]), {"year": 2020})
    assert (
        reverse("activities:record_detail", args=["detection", inspection.pk]).encode()
        in listing.content
    )
    assert (
        client.get(
            reverse("activities:record_detail", args=["detection", inspection.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("activities:record_edit", args=["detection", inspection.pk])).status_code
        == 403
    )


def test_the_coordinator_statistics_count_aggregate_returns(
    coordinator, other_reporter, client_for
):
    from thb.activities.services import record_save

    record_save(
        actor=other_reporter,
        record_type=TYPES["detection-aggregate"],
        values={"kind": "inspection", "year": 2020, "value": 10000, "basis": "annual_average"},
    )
    response = client_for(coordinator).get(
        reverse("activities:statistics"), {"year": 2020}, follow=True
    )
    assert response.status_code == 200
    document = response.context["document"]
    assert document.figures["detection.labour_inspectorate.inspections_per_year"] == 10000
    assert all("activities" in chapter.topics for chapter in document.chapters)
    text = response.content.decode()
    # The basis is shown by its label, never its code.
    assert "gada vidējais" in text
    assert "annual_average" not in text


def test_a_reporter_creates_a_record_through_the_form(reporter, client_for):
    response = client_for(reporter).post(
        reverse("activities:record_create", args=["detection"]),
        {
            "kind": "inspection",
            "date": "2020-06-01",
            "count": "1",
            "place_type": "out_of_family_care",
        },
    )
    assert response.status_code == 302
    record = DetectionRecord.objects.get()
    assert record.institution == reporter.institution and record.place_type == "out_of_family_care"


def test_a_bad_form_names_the_field_and_saves_nothing(reporter, client_for):
    response = client_for(reporter).post(
        reverse("activities:record_create", args=["detection"]),
        {
            "kind": "criminal_proceeding",
            "date": "2020-06-01",
            "count": "1",
            "legal_basis": "APK.189.2",
        },
    )
    assert response.status_code == 400
    assert b'id="id_legal_basis_error"' in response.content
    assert b'aria-describedby="id_legal_basis_error"' in response.content
    assert DetectionRecord.objects.count() == 0


def test_the_yearly_overview_counts_the_institutions_records(reporter, inspection, client_for):
    response = client_for(reporter).get(reverse("activities:home"), {"year": 2020})
    assert response.status_code == 200
    assert response.context["detection"][0]["total"] == 1


def test_the_pages_speak_english_too(reporter, client_for):
    client = client_for(reporter)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("activities:home"), {"year": 2020})
    assert b"Activity returns" in response.content


def test_the_pages_speak_latvian_by_default(reporter, client_for):
    response = client_for(reporter).get(reverse("activities:home"), {"year": 2020})
    assert "Darbības atskaites".encode() in response.content


def test_the_record_form_shows_field_and_rule_errors_in_one_round(
    reporter, inspectorate, client_for
):
    """A count beyond the profile's limit (the form's own check) and a record beside the
    institution's aggregate return for that kind and year (the service's rule) are
    reported together; nothing is saved."""
    DetectionAggregate.objects.create(
        institution=inspectorate, kind="inspection", year=2020, value=10, basis="x"
    )
    response = client_for(reporter, language="en").post(
        reverse("activities:record_create", args=["detection"]),
        {
            "kind": "inspection",
            "date": "2020-05-04",
            "count": "99999999999",
            "place_type": "out_of_family_care",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"count", "kind"}
    assert "enter records or the aggregate, not both" in response.content.decode()
    assert not DetectionRecord.objects.exists()
