"""Vulnerability and modus operandi (issue 11, part 4): the vulnerability factors, the
recruitment platform, the visa or posting route and the transit countries of a case,
recorded through the profile form, the cases API and the victim-case import, checked by
one function, and counted in the report's trends and risk groups figures."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from thb.interop.importer import import_file
from thb.interop.registry import get_import_type
from thb.reports.catalogue import compute_figures
from thb.victims import services
from thb.victims.models import Case, country_code
from thb.victims.services import (
    ExploitationProfile,
    Intake,
    VictimProfile,
    decision_record,
    intake_check,
)
from thb.victims.tests.factories import make_case
from thb.victims.tests.test_views import _intake_post


def _intake(victim: VictimProfile, exploitation: ExploitationProfile) -> Intake:
    return Intake(
        intake_date=date(2020, 3, 1),
        referral_channel="self",
        victim=victim,
        exploitation=exploitation,
    )


# The one check ------------------------------------------------------------------------


def test_the_check_names_every_bad_field_in_one_round() -> None:
    intake = _intake(
        VictimProfile(vulnerabilities=["unemployment", "bad_luck", "unemployment"]),
        ExploitationProfile(
            recruitment_platform="carrier_pigeon",
            migration_route="teleport",
            transit=["RU", "XX", "RU"],
        ),
    )
    with pytest.raises(ValidationError) as info:
        intake_check(intake)
    errors = info.value.message_dict
    assert set(errors) == {"vulnerabilities", "recruitment_platform", "migration_route", "transit"}
    assert len(errors["vulnerabilities"]) == 2  # unknown code, listed twice
    assert len(errors["transit"]) == 2  # unknown country, listed twice


def test_the_check_takes_good_values_and_blanks() -> None:
    intake_check(_intake(VictimProfile(), ExploitationProfile()))
    intake_check(
        _intake(
            VictimProfile(vulnerabilities=["mental_disorder", "addiction"]),
            ExploitationProfile(
                recruitment_platform="adult_video_portal",
                migration_route="fake_posting",
                transit=["RU", "LV"],
            ),
        )
    )


def test_a_route_has_a_bounded_number_of_transit_countries() -> None:
    many = ["LT", "PL", "DE", "NL", "BE", "FR", "ES", "PT", "IT", "AT", "CZ"]
    assert len(many) > services.MAX_TRANSIT
    with pytest.raises(ValidationError) as info:
        intake_check(_intake(VictimProfile(), ExploitationProfile(transit=many)))
    assert set(info.value.message_dict) == {"transit"}


# The case profile: form and case page -------------------------------------------------


def test_the_profile_form_records_them_and_the_case_page_shows_them(client_for, owner) -> None:
    case = make_case(owner)
    url = reverse("victims:case_profile_edit", args=[case.person.code])
    data = _intake_post(
        vulnerabilities=["mental_disorder", "unemployment"],
        recruitment_platform="job_portal",
        migration_route="other_eu_state_work_visa",
        transit_1="RU",
        transit_2="LV",
    )
    response = client_for(owner).post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert sorted(v.factor for v in case.vulnerabilities.all()) == [
        "mental_disorder",
        "unemployment",
    ]
    assert [country_code(t.country) for t in case.transits.all()] == ["RU", "LV"]
    assert (case.recruitment_platform, case.migration_route) == (
        "job_portal",
        "other_eu_state_work_visa",
    )
    page = client_for(owner).get(reverse("victims:case_detail", args=[case.person.code]))
    text = page.content.decode()
    for label in (
        "garīga rakstura vai garīgās attīstības traucējumi",
        "bezdarbs",
        "darba sludinājumu portāls",
        "trešās valsts pilsonis ar citas ES dalībvalsts izsniegtu darba vīzu",
        "Krievija → Latvija",
    ):
        assert label in text
    # The edit form opens with what was recorded.
    form = client_for(owner).get(url).context["form"]
    assert form["transit_1"].value() == "RU" and form["transit_2"].value() == "LV"
    assert sorted(form["vulnerabilities"].value()) == ["mental_disorder", "unemployment"]


def test_the_form_shows_the_checks_error_at_the_transit_fields(client_for, owner) -> None:
    case = make_case(owner)
    url = reverse("victims:case_profile_edit", args=[case.person.code])
    response = client_for(owner).post(url, _intake_post(transit_1="RU", transit_2="RU"))
    assert response.status_code == 200
    assert "transit_1" in response.context["form"].errors
    assert not case.transits.exists()


# The cases API -----------------------------------------------------------------------


def test_the_api_records_and_returns_them(client_for, owner) -> None:
    client = client_for(owner)
    payload = {
        "intake_date": "2020-06-01",
        "referral_channel": "border_guard",
        "sex": "male",
        "citizenship": "VN",
        "vulnerabilities": ["no_language"],
        "recruitment_platform": "social_network",
        "migration_route": "irregular_border_crossing",
        "transit": ["ru", "LV"],
    }
    created = client.post("/api/v1/cases/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = client.get(f"/api/v1/cases/{created.json()['code']}").json()
    assert body["vulnerabilities"] == ["no_language"]
    assert body["recruitment_platform"] == "social_network"
    assert body["migration_route"] == "irregular_border_crossing"
    assert body["transit"] == ["RU", "LV"]
    listed = client.get("/api/v1/cases/").json()
    assert listed[0]["transit"] == ["RU", "LV"]


def test_the_api_refuses_bad_values_naming_the_fields(client_for, owner) -> None:
    payload = {
        "intake_date": "2020-06-01",
        "referral_channel": "self",
        "vulnerabilities": ["bad_luck"],
        "migration_route": "teleport",
        "transit": ["RU", "RU"],
    }
    response = client_for(owner).post("/api/v1/cases/", payload, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["detail"]) >= {"vulnerabilities", "migration_route", "transit"}
    assert not Case.objects.exists()


# The victim-case import --------------------------------------------------------------


def _import(user, text: str):
    return import_file(
        actor=user,
        import_type=get_import_type("victim_cases"),
        file_name="cases.csv",
        data=text.encode(),
    )


def test_the_import_takes_latvian_headers_and_values(owner) -> None:
    # Excel on Latvian Windows writes ';' between cells: a list in a cell is quoted.
    text = (
        "Ārējais identifikators;Uzņemšanas datums;Nosūtītājs;Ievainojamības faktori;"
        "Vervēšanas vietne (internetā);Vīza vai norīkošanas ceļš;Tranzīta valstis\n"
        'T-1;2020-03-15;Valsts robežsardze;"bezdarbs; nepārzina valsts valodu";'
        'sociālais tīkls;viltus darbinieku norīkošana;"Krievija; LV"\n'
    )
    result = _import(owner, text)
    assert result.errors == [], result.errors
    case = Case.objects.get(external_id="T-1")
    assert sorted(v.factor for v in case.vulnerabilities.all()) == ["no_language", "unemployment"]
    assert (case.recruitment_platform, case.migration_route) == ("social_network", "fake_posting")
    assert [country_code(t.country) for t in case.transits.all()] == ["RU", "LV"]


def test_the_import_refuses_bad_values_in_their_columns(owner) -> None:
    text = (
        "external_id,intake_date,referral_channel,vulnerabilities,migration_route,transit\n"
        "T-1,2020-03-15,self,bad_luck,,RU\n"
        "T-2,2020-03-15,self,,,RU; RU\n"
    )
    result = _import(owner, text)
    assert {(e.line, e.column) for e in result.errors} == {
        (2, "vulnerabilities"),
        (3, "transit"),
    }
    assert not Case.objects.exists()


# The figures -------------------------------------------------------------------------

IDS = [
    "victims.trends.any_factor",
    "victims.trends.factor.addiction",
    "victims.trends.factor.unemployment",
    "victims.trends.platform.adult_video_portal",
    "victims.trends.route.other_eu_state_work_visa",
    "victims.trends.transit.any",
    "victims.trends.transit.LV",
]


def _decided(owner, *, recognised: bool = True, on: date = date(2020, 5, 1), **profile) -> Case:
    case = make_case(owner)
    services.case_update_profile(
        actor=owner,
        case=case,
        victim=VictimProfile(
            sex="female",
            citizenship="LV",
            age_at_identification=30,
            education="secondary",
            vulnerabilities=profile.get("vulnerabilities", ()),
        ),
        exploitation=ExploitationProfile(
            forms=(("sexual", ""),),
            places=(("LV", "riga"),),
            recruitment_method="internet",
            recruitment_platform=profile.get("platform", ""),
            migration_route=profile.get("route", ""),
            transit=profile.get("transit", ()),
        ),
    )
    decision_record(
        actor=owner,
        case=case,
        kind="commission",
        decided_on=on,
        recognised=recognised,
        criteria_met=["purpose_exploitation"] if recognised else [],
        members="Psihologs\nJurists",
        reasons="" if recognised else "Neatbilst kritērijiem.",
    )
    return case


def test_the_figures_count_decided_cases_by_what_they_record(owner) -> None:
    _decided(owner, vulnerabilities=("addiction", "unemployment"), transit=("RU", "LV"))
    _decided(owner, vulnerabilities=("unemployment",), platform="adult_video_portal")
    _decided(owner, route="other_eu_state_work_visa", transit=("PL",))
    _decided(owner, vulnerabilities=("addiction",), recognised=False)  # not recognised
    _decided(owner, vulnerabilities=("addiction",), on=date(2021, 2, 1))  # another year
    make_case(owner)  # undecided
    figures = compute_figures(2020, IDS)
    assert [figures[i] for i in IDS] == [2, 1, 2, 1, 1, 2, 1]
    assert compute_figures(2021, IDS)["victims.trends.factor.addiction"] == 1


def test_filters_beyond_the_catalogues_count_each_case_once(owner) -> None:
    """A list of factors, factors with transit countries (both relations: tested with
    EXISTS), a list of transit countries a route passes both of, and other filters with a
    relation: each case counted once (the catalogue's figures test one code each)."""
    from thb.profiles.sections.figures import FigureDef
    from thb.victims.trends import _trends_years

    _decided(owner, vulnerabilities=("addiction", "unemployment"), transit=("RU", "LV"))
    _decided(owner, vulnerabilities=("unemployment",), platform="adult_video_portal")
    _decided(owner, vulnerabilities=("addiction",), transit=("PL",))

    def figure(name: str, **filters: object) -> FigureDef:
        return FigureDef.model_validate(
            {
                "id": f"victims.trends.test.{name}",
                "definition": {"lv": name, "en": name},
                "unit": "persons",
                "measure": "victims.trends",
                "filters": filters,
            }
        )

    figures = [
        figure("two_factors", factor=["addiction", "unemployment"]),
        figure("factor_and_transit", factor="addiction", transit="RU"),
        figure("factor_and_any_transit", factor="addiction", any_transit=True),
        figure("transit", transit=["RU", "LV"]),
        figure("factor_and_platform", factor="unemployment", platform="adult_video_portal"),
        figure("any_factor_assessed", any_factor=True, status="assessed"),
    ]
    counted = _trends_years([2020], figures)[2020]
    assert [counted[f.id] for f in figures] == [3, 1, 2, 1, 1, 3]


@pytest.mark.usefixtures("demo")
def test_the_2020_demo_gives_the_seeds_trends_and_risk_groups() -> None:
    figures = compute_figures(2020)
    expected = {
        "victims.trends.any_factor": 45,
        "victims.trends.factor.no_language": 31,
        "victims.trends.factor.unemployment": 19,
        "victims.trends.factor.mental_disorder": 2,
        "victims.trends.factor.addiction": 4,
        "victims.trends.factor.low_education": 5,
        "victims.trends.factor.homelessness": 1,
        "victims.trends.factor.disability": 1,
        "victims.trends.factor.previous_victimisation": 2,
        "victims.trends.platform.social_network": 2,
        "victims.trends.platform.adult_video_portal": 1,
        "victims.trends.platform.job_portal": 1,
        "victims.trends.route.other_eu_state_work_visa": 10,
        "victims.trends.route.national_work_visa": 17,
        "victims.trends.route.fake_posting": 4,
        "victims.trends.transit.any": 17,
        "victims.trends.transit.PL": 13,
        "victims.trends.transit.LT": 7,
        "victims.trends.transit.LV": 0,
    }
    assert {key: figures[key] for key in expected} == expected
    # The transit route through Latvia is on the case still awaiting assessment.
    waiting = Case.objects.get(person__citizenship="VN")
    assert [country_code(t.country) for t in waiting.transits.all()] == ["RU", "LV"]
    assert waiting.decided_on is None
