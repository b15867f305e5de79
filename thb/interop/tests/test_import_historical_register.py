"""A ministry's historical register, imported from one file with the identification
decisions (commission and process director), gives the year's victims figures at once;
decisions follow the decision form's rules, relaxed only for historical records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from thb.accounts.models import Institution, InstitutionKind, User
from thb.interop.importer import ImportResult, import_file
from thb.interop.registry import get_import_type
from thb.reports.catalogue import compute_figures
from thb.victims.models import Case, CaseStatus, DecisionKind, IdentificationDecision

HEADER = (
    "external_id,intake_date,referral_channel,sex,citizenship,age_at_identification,"
    "date_of_birth,forms,historical,decision_kind,decision_date,decision_outcome,"
    "deciding_institution,criteria,injured_party_date\n"
)

# Three years of a register: recognised by the commission (without criteria: a
# historical record) or by a process director of the State Police; one not recognised;
# one minor whose age comes from the date of birth; one still undecided.
REGISTER = (
    HEADER + "R-2018-1,2018-02-01,state_police,female,LV,30,,sexual,true,commission,2018-03-01,"
    "recognised,,,\n"
    + "R-2018-2,2018-05-10,self,male,UZ,41,,labour:construction,true,process_director,"
    "2018-06-01,recognised,vp,,2018-05-20\n"
    + "R-2018-3,2018-07-01,self,male,LV,25,,,true,commission,2018-08-01,not_recognised,,,\n"
    + "R-2019-1,2019-01-15,social_service,female,LV,,2003-06-01,sexual,true,commission,"
    "2019-02-01,recognised,,means_deception,\n"
    + "R-2019-2,2019-03-01,state_police,female,UA,35,,forced_sham_marriage,true,"
    "process_director,2019-12-30,recognised,vp,,2019-04-01\n"
    + "R-2020-1,2020-01-10,state_police,male,IN,28,,labour:agriculture,true,process_director,"
    "2020-01-20,recognised,vp,,2020-02-01\n"
    + "R-2020-2,2020-02-10,self,female,LV,22,,sexual,true,commission,2020-03-10,recognised,,,\n"
    + "R-2020-3,2020-06-01,self,female,LV,19,,,true,,,,,,\n"
)


@pytest.fixture
def police(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("vp", InstitutionKind.STATE_POLICE, "Valsts policija")


def _import(user: User, text: str, **kwargs: object) -> ImportResult:
    return import_file(
        actor=user,
        import_type=get_import_type("victim_cases"),
        file_name="register.csv",
        data=text.encode(),
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_multi_year_register_gives_its_figures_straight_after_the_import(
    owner: User, police: Institution
) -> None:
    result = _import(owner, REGISTER)
    assert result.errors == []
    assert (result.rows, result.created) == (8, 8)
    ids = [
        "victims.assessed",
        "victims.identified",
        "victims.identified.men",
        "victims.identified.women",
        "victims.identified.minors",
        "victims.not_recognised",
        "victims.citizenship.LV",
        "victims.citizenship.UZ",
        "victims.citizenship.IN",
        "victims.injured_party_in_proceedings",
    ]
    expected = {
        2018: [3, 2, 1, 1, 0, 1, 1, 1, 0, 1],
        2019: [2, 2, 0, 1, 1, 0, 1, 0, 0, 1],
        2020: [2, 2, 1, 1, 0, 0, 1, 0, 1, 1],
    }
    for year, values in expected.items():
        assert compute_figures(year, ids) == dict(zip(ids, values, strict=True)), year


def test_decisions_are_stored_as_the_decision_form_stores_them(
    owner: User, police: Institution
) -> None:
    _import(owner, REGISTER)
    case = Case.objects.get(external_id="R-2018-2")
    assert (case.status, case.decided_on) == (CaseStatus.RECOGNISED, date(2018, 6, 1))
    assert case.injured_party_on == date(2018, 5, 20)
    assert case.historical
    decision = IdentificationDecision.objects.get(case=case)
    assert (decision.kind, decision.deciding_institution, decision.historical) == (
        DecisionKind.PROCESS_DIRECTOR,
        police,
        True,
    )
    commission = Case.objects.get(external_id="R-2018-1")
    # As decision_record does: a commission decision puts the case before the commission.
    assert commission.submitted_to_commission_on == date(2018, 3, 1)
    assert Case.objects.get(external_id="R-2020-3").status == CaseStatus.POTENTIAL
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["intake", "decision", "injured_party"]


def test_the_age_is_derived_from_the_date_of_birth_where_it_is_missing(
    owner: User, police: Institution
) -> None:
    _import(owner, REGISTER)
    # Born 2003-06-01, taken in on 2019-01-15: 15, a minor.
    case = Case.objects.get(external_id="R-2019-1")
    assert case.age_at_identification == 15 and case.is_minor


def test_an_age_contradicting_the_date_of_birth_names_both_columns(owner: User) -> None:
    result = _import(owner, HEADER + "A,2020-01-10,self,female,LV,40,2003-06-01,,,,,,,,\n")
    assert {(e.line, e.column) for e in result.errors} == {
        (2, "age_at_identification"),
        (2, "date_of_birth"),
    }
    assert "2003" not in " ".join(str(e) for e in result.errors)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column"),
    [
        # A commission's recognition names its criteria and members unless historical.
        ("false,commission,2020-02-01,recognised,,,", "decision_members"),
        # A process director's decision comes into an import only from a register.
        ("false,process_director,2020-02-01,recognised,vp,,", "decision_kind"),
        ("true,commission,2020-02-01,recognised,no-such-body,,", "deciding_institution"),
        ("true,commission,2020-02-01,recognised,,no_such_criterion,", "criteria"),
        ("true,commission,2019-12-01,recognised,,,", "decision_date"),
        ("true,commission,,recognised,,,", "decision_date"),
        ("true,,2020-02-01,recognised,,,", "decision_kind"),
        ("true,,,,,,2020-02-03", ""),
    ],
)
def test_decision_rules_name_the_line_and_column(
    owner: User, police: Institution, row: str, column: str
) -> None:
    result = _import(owner, HEADER + "A,2020-01-10,self,female,LV,30,,," + row + "\n")
    if column == "":
        # A historical injured-party date alone is fine.
        assert result.errors == []
        return
    assert (2, column) in {(e.line, e.column) for e in result.errors}, result.errors
    assert Case.objects.count() == 0


def test_a_non_historical_commission_decision_with_its_file_imports(owner: User) -> None:
    text = (
        "external_id,intake_date,referral_channel,forms,decision_kind,decision_date,"
        "decision_outcome,criteria,decision_members\n"
        "A,2020-01-10,self,sexual,commission,2020-02-01,recognised,means_deception,"
        "Chair; Secretary\n"
    )
    result = _import(owner, text)
    assert result.errors == []
    decision = IdentificationDecision.objects.get()
    assert decision.members == "Chair\nSecretary" and not decision.historical


def test_the_case_page_says_the_record_comes_from_a_historical_register(
    owner: User, police: Institution, client_for: Callable[..., Client]
) -> None:
    _import(owner, REGISTER)
    case = Case.objects.get(external_id="R-2018-2")
    page = client_for(owner, language="en").get(
        reverse("victims:case_detail", args=[case.person.code])
    )
    text = page.content.decode()
    assert "Imported from a historical register" in text
    assert "Valsts policija" in text or "vp" in text.lower()
