"""The intake records a screening with the case in one service call; the case page
shows the explained result to the owner and the commission, in Latvian and English;
notes only to those who may see the identity; nothing to outsiders."""

from datetime import date

import pytest
from django.urls import reverse

from thb.accounts.models import Role
from thb.screening.models import Screening
from thb.victims.models import Case, Person


def _intake_post(**changes):
    data = {
        "intake_date": "2020-04-01",
        "referral_channel": "state_police",
        "given_names": "Marta",
        "surname": "Formvārde",
        "sex": "female",
        "citizenship": "LV",
        "age_at_identification": "24",
        "education": "secondary",
        "exploitation_forms": ["labour"],
        "labour_sector": "",
        "recruitment_method": "internet",
        "place_1_country": "LV",
        "place_1_region": "riga",
        "screening-list_key": "adult_labour",
        "screening-screened_on": "2020-04-01",
        "screening-adult_labour-dim_dr": [
            "dr.nature_of_job_location_or_employer",
            "dr.wages_earnings",
        ],
        "screening-adult_labour-dim_ex": [
            "ex.excessive_working_days_or_hours",
            "ex.low_or_no_salary",
        ],
        "screening-notes": "Strādāja 14 stundas dienā; vārds: Ilze.",
    }
    data.update(changes)
    return data


def _detail(case):
    return reverse("victims:case_detail", args=[case.person.code])


@pytest.fixture
def case(client_for, owner, post_confirmed):
    response = post_confirmed(client_for(owner), reverse("victims:case_create"), _intake_post())
    assert response.status_code == 302
    return Case.objects.get()


def test_the_review_shows_the_screening_before_anything_is_saved(client_for, owner):
    response = client_for(owner, "en").post(reverse("victims:case_create"), _intake_post())
    page = response.content.decode()
    assert 'name="step" value="confirm"' in page
    assert "Screening with the ILO/EC indicators of trafficking" in page
    assert "Strādāja 14 stundas dienā" in page
    assert Person.objects.count() == 0 and Screening.objects.count() == 0


def test_the_intake_records_the_screening_with_the_case(case, owner):
    screening = Screening.objects.get()
    assert screening.case == case
    assert screening.screened_by == owner
    assert screening.screened_on == date(2020, 4, 1)
    assert screening.indicators == [
        "dr.nature_of_job_location_or_employer",
        "dr.wages_earnings",
        "ex.excessive_working_days_or_hours",
        "ex.low_or_no_salary",
    ]
    assert case.screening_notes == ""  # the notes belong to the screening


def test_the_intake_page_offers_the_screening_section(client_for, owner):
    page = client_for(owner, "en").get(reverse("victims:case_create")).content.decode()
    assert "<legend>deceptive recruitment</legend>" in page
    assert 'value="cd.debt_bondage"' in page
    assert 'class="strength strength-strong">strong</span>' in page


def test_the_case_page_explains_the_result_in_latvian(case, client_for, owner):
    page = client_for(owner, "lv").get(_detail(case)).content.decode()
    assert "maldinoša vervēšana: pozitīva (1 spēcīga + 1 vidēja)" in page
    assert "ekspluatācija: pozitīva (1 spēcīga + 1 vidēja)" in page
    assert "piespiešana galamērķī: nav konstatēta (nav atzīmēta neviena pazīme)" in page
    assert "pazīmes nav pietiekamas, lai pieņemtu, ka notikusi cilvēku tirdzniecība" in page
    assert "Strādāja 14 stundas dienā" in page  # the owner reads the notes


def test_the_case_page_explains_the_result_in_english(case, client_for, owner):
    page = client_for(owner, "en").get(_detail(case)).content.decode()
    assert "deceptive recruitment: positive (1 strong + 1 medium)" in page
    assert "coercion at destination: not shown (no indicator ticked)" in page
    conclusion = "the indicators are not sufficient to presume trafficking for labour exploitation"
    assert conclusion in page
    assert "the commission or the process director decides" in page


def test_the_commission_member_sees_the_screening_without_the_notes(
    case, client_for, make_user, provider
):
    member = make_user("member", Role.COMMISSION_MEMBER, provider)
    assert client_for(member).get(_detail(case)).status_code == 404  # not yet before it
    Case.objects.filter(pk=case.pk).update(submitted_to_commission_on=date(2020, 4, 5))
    response = client_for(member, "en").get(_detail(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "deceptive recruitment: positive (1 strong + 1 medium)" in page
    assert "Strādāja 14 stundas" not in page and "Ilze" not in page


def test_outsiders_see_nothing(case, client_for, colleague, outsider, coordinator):
    for user in (colleague, outsider, coordinator):
        response = client_for(user).get(_detail(case))
        assert response.status_code == 404
        assert b"deceptive" not in response.content and "vervēšana" not in response.content.decode()


def test_an_intake_without_a_list_records_no_screening_and_keeps_notes_on_the_case(
    client_for, owner, post_confirmed
):
    data = _intake_post(**{"screening-list_key": "", "screening-adult_labour-dim_dr": []})
    data.pop("screening-adult_labour-dim_ex")
    response = post_confirmed(client_for(owner), reverse("victims:case_create"), data)
    assert response.status_code == 302
    assert Screening.objects.count() == 0
    assert Case.objects.get().screening_notes.startswith("Strādāja")


def test_ticks_in_a_list_not_chosen_are_refused_and_nothing_is_saved(client_for, owner):
    data = _intake_post(**{"screening-list_key": "child_labour"})
    response = client_for(owner).post(reverse("victims:case_create"), data)
    assert response.status_code == 200
    assert "list_key" in response.context["screening_form"].errors
    assert 'id="id_screening-list_key_error"' in response.content.decode()
    assert Person.objects.count() == 0 and Screening.objects.count() == 0


def test_an_unknown_indicator_is_named_and_nothing_is_saved(client_for, owner):
    data = _intake_post(**{"screening-adult_labour-dim_dr": ["dr.invented"]})
    response = client_for(owner).post(reverse("victims:case_create"), data)
    assert response.status_code == 200
    assert "dr.invented" in response.content.decode()
    assert Person.objects.count() == 0 and Screening.objects.count() == 0
