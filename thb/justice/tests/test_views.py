"""Every justice page for the owner (the investigating police unit), a colleague at
another police unit, an outsider (border-guard reporter), a caseworker and the
coordinator."""

from datetime import date

import pytest
from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.justice.models import InjuredParty, Proceeding
from thb.justice.services import InjuredPartyData, injured_party_add
from thb.victims.models import Case, Person

pytestmark = pytest.mark.django_db

PROCEEDING_PAGES = [
    "justice:proceeding_detail",
    "justice:proceeding_edit",
    "justice:injured_party_add",
    "justice:suspect_add",
    "justice:property_add",
    "justice:stage_add",
    "justice:judgment_add",
]
WRITE_PAGES = PROCEEDING_PAGES[1:]


@pytest.mark.parametrize("name", PROCEEDING_PAGES)
def test_the_owner_opens_every_proceeding_page(client_for, investigator, proceeding, name):
    response = client_for(investigator).get(reverse(name, args=[proceeding.pk]))
    assert response.status_code == 200
    assert proceeding.number in response.content.decode()


@pytest.mark.parametrize("name", PROCEEDING_PAGES)
def test_a_colleague_at_another_police_unit_gets_404(
    client_for, other_investigator, proceeding, name
):
    assert (
        client_for(other_investigator).get(reverse(name, args=[proceeding.pk])).status_code == 404
    )


@pytest.mark.parametrize("name", PROCEEDING_PAGES)
def test_an_outsider_and_a_caseworker_get_404(client_for, outsider, owner, proceeding, name):
    for user in (outsider, owner):
        assert client_for(user).get(reverse(name, args=[proceeding.pk])).status_code == 404


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_the_coordinator_reads_but_cannot_open_forms(client_for, coordinator, proceeding, name):
    client = client_for(coordinator)
    assert client.get(reverse("justice:proceeding_detail", args=[proceeding.pk])).status_code == 200
    assert client.get(reverse(name, args=[proceeding.pk])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, proceeding):
    response = client.get(reverse("justice:proceeding_detail", args=[proceeding.pk]))
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_the_list_shows_own_proceedings_and_filters(
    client_for, investigator, other_investigator, coordinator, proceeding
):
    url = reverse("justice:proceeding_list")
    assert proceeding.number in client_for(investigator).get(url).content.decode()
    assert proceeding.number not in client_for(other_investigator).get(url).content.decode()
    assert proceeding.number in client_for(coordinator).get(url).content.decode()
    filtered = client_for(investigator).get(url, {"year": 2019}).content.decode()
    assert proceeding.number not in filtered
    assert (
        proceeding.number
        in client_for(investigator)
        .get(url, {"year": 2020, "section": "154.1", "institution": "vp"})
        .content.decode()
    )
    assert (
        proceeding.number
        not in client_for(investigator).get(url, {"section": "165"}).content.decode()
    )


def test_the_list_is_404_for_outsiders(client_for, outsider, owner):
    for user in (outsider, owner):
        assert client_for(user).get(reverse("justice:proceeding_list")).status_code == 404


def test_creating_a_proceeding_through_the_form(client_for, investigator):
    response = client_for(investigator).post(
        reverse("justice:proceeding_create"),
        {
            "number": "11816000777",
            "sections": ["154.1", "165"],
            "started_on": "2020-03-01",
            "exploitation_form": "sexual",
            "sector": "",
            "notes": "",
        },
    )
    proceeding = Proceeding.objects.get(number="11816000777")
    assert response.status_code == 302
    assert sorted(proceeding.section_codes) == ["154.1", "165"]


def test_a_bad_form_names_the_field_and_saves_nothing(client_for, investigator):
    response = client_for(investigator).post(
        reverse("justice:proceeding_create"),
        {
            "number": "11816000777",
            "sections": ["154.1"],
            "started_on": "2020-03-01",
            "exploitation_form": "sexual",
            "sector": "construction",
        },
    )
    assert response.status_code == 200
    assert "sector" in response.context["form"].errors
    assert not Proceeding.objects.exists()


def test_adding_a_stage_person_and_judgment_through_the_forms(
    client_for, investigator, proceeding, suspect
):
    client = client_for(investigator)
    response = client.post(
        reverse("justice:property_add", args=[proceeding.pk]),
        {"kind": "funds", "arrested_on": "2020-03-05", "value_eur": "1000.50"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("justice:stage_add", args=[proceeding.pk]),
        {"kind": "first_instance_received", "on": "2020-05-01"},
    )
    # The police unit is not a court: the error names the institution field.
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors


def test_linking_a_case_by_code_and_hiding_codes_from_the_coordinator(
    client_for, investigator, coordinator, proceeding, provider
):
    person = Person.objects.create(code="QWER2345", sex="male", citizenship="UZ")
    case = Case.objects.create(
        person=person,
        institution=provider,
        status="recognised",
        intake_date=date(2020, 1, 10),
        referral_channel="self",
    )
    client = client_for(investigator)
    url = reverse("justice:injured_party_add", args=[proceeding.pk])
    form = {"recognised_on": "2020-03-01", "case_code": "qwer2345", "sex": "unknown"}
    # Not routed to this institution by its provider: the code alone opens nothing.
    refused = client.post(url, form)
    assert "case_code" in refused.context["form"].errors
    assert not InjuredParty.objects.exists()
    Case.objects.filter(pk=case.pk).update(proceeding_institution=proceeding.institution)
    response = client.post(
        reverse("justice:injured_party_add", args=[proceeding.pk]),
        {"recognised_on": "2020-03-01", "case_code": "qwer2345", "sex": "unknown"},
    )
    assert response.status_code == 302
    assert InjuredParty.objects.filter(case__person__code="QWER2345").exists()
    url = reverse("justice:proceeding_detail", args=[proceeding.pk])
    assert "QWER2345" in client.get(url).content.decode()
    page = client_for(coordinator).get(url).content.decode()
    assert "QWER2345" not in page
    assert AuditEvent.objects.filter(
        actor_username="coordinator", action="read", object_type="justice.proceeding"
    ).exists()


def test_an_unknown_case_code_is_refused_on_the_field(client_for, investigator, proceeding):
    response = client_for(investigator).post(
        reverse("justice:injured_party_add", args=[proceeding.pk]),
        {"recognised_on": "2020-03-01", "case_code": "NOPE9999", "sex": "unknown"},
    )
    assert "case_code" in response.context["form"].errors


def test_non_punishment_pages(client_for, investigator, other_investigator, coordinator, outsider):
    client = client_for(investigator)
    response = client.post(
        reverse("justice:non_punishment_create"),
        {
            "legal_basis": "ALL.11",
            "outcome": "released",
            "decided_on": "2020-10-07",
            "offence": "No valid identity document",
        },
    )
    assert response.status_code == 302
    url = reverse("justice:non_punishment_list")
    assert "No valid identity document" in client.get(url).content.decode()
    assert (
        "No valid identity document" not in client_for(other_investigator).get(url).content.decode()
    )
    assert "No valid identity document" in client_for(coordinator).get(url).content.decode()
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(coordinator).get(reverse("justice:non_punishment_create")).status_code == 404


def test_the_statistics_page_is_for_the_coordinator(
    client_for, coordinator, investigator, outsider, proceeding
):
    # The justice statistics are the report's justice chapters (thb/reports).
    url = reverse("justice:statistics")
    response = client_for(coordinator).get(url, {"year": 2020}, follow=True)
    assert response.status_code == 200
    assert [c.id for c in response.context["document"].chapters] == ["justice"]
    assert client_for(investigator).get(url, follow=True).status_code == 403
    assert client_for(outsider).get(url, follow=True).status_code == 403


def test_pages_speak_english_too(client_for, investigator, proceeding):
    client = client_for(investigator)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("justice:proceeding_detail", args=[proceeding.pk])).content.decode()
    assert "Injured parties" in page


def test_the_court_sees_a_proceeding_once_it_handles_a_stage(
    client_for, investigator, court_reporter, court, proceeding, suspect, prosecutors, prosecutor
):
    from thb.justice.services import StageData, stage_add

    url = reverse("justice:proceeding_detail", args=[proceeding.pk])
    assert client_for(court_reporter).get(url).status_code == 404
    stage_add(
        actor=investigator,
        proceeding=proceeding,
        data=StageData(
            kind="transferred_for_prosecution", on=date(2020, 4, 1), institution=prosecutors
        ),
    )
    stage_add(
        actor=prosecutor,
        proceeding=proceeding,
        data=StageData(
            kind="sent_to_prosecution", on=date(2020, 5, 1), institution=court, persons=[suspect]
        ),
    )
    assert client_for(court_reporter).get(url).status_code == 200


def test_injured_party_helper_is_used_by_views(investigator, proceeding):
    party = injured_party_add(
        actor=investigator,
        proceeding=proceeding,
        data=InjuredPartyData(recognised_on=date(2020, 3, 1), sex="female", citizenship="GB"),
    )
    assert party.case is None


def test_pages_speak_latvian_by_default(client_for, investigator, proceeding):
    page = (
        client_for(investigator)
        .get(reverse("justice:proceeding_detail", args=[proceeding.pk]))
        .content.decode()
    )
    assert "Cietušie" in page
    assert "Aizdomās turētie un apsūdzētie" in page
