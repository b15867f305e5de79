"""Issue 10, part 2: every plausibility rule is refused the same way through the form,
the API and the import, because the three call one validator (thb.core.validators, or
the service rule of thb.victims.services). Each test posts, sends or imports one bad
value and asserts that the answer names the field (and, for an import, the line and
column) with a clear message, and that nothing was saved. A valid counterpart of each
channel is saved, so that no refusal passes because the channel refuses everything.

Channels without a write of that kind (a service delivered has no import; a proceeding
no API write) are listed in docs/country-profile.md under "Plausibility"."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.activities.models import DetectionRecord
from thb.interop.importer import ImportResult, import_file
from thb.interop.registry import get_import_type
from thb.justice.models import Proceeding
from thb.support.models import RehabilitationPlan, ServiceDelivery
from thb.support.services import PlanInput, plan_save
from thb.victims.models import Case, CaseStatus, IdentificationDecision, Person
from thb.victims.services import decision_record
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db

NEXT_YEAR = (timezone.localdate() + timedelta(days=366)).isoformat()
VALID_CODE = "010190-12349"  # the check digit (1101 - 135) mod 11 = 9
VALID_NEW_CODE = "321234-56789"  # issued since July 2017: no date, no check digit


def _api(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _import(user: User, type_name: str, text: str) -> ImportResult:
    with translation.override("en"):
        return import_file(
            actor=user,
            import_type=get_import_type(type_name),
            file_name="rows.csv",
            data=text.encode(),
        )


def _csv(row: dict[str, Any]) -> str:
    def cell(value: Any) -> str:
        value = ";".join(value) if isinstance(value, list) else str(value)
        return f'"{value}"' if "," in value else value

    return ",".join(row) + "\n" + ",".join(cell(v) for v in row.values()) + "\n"


def _form_errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code in (200, 400), response.status_code
    return dict(response.context["form"].errors)


def _api_errors(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    return detail if isinstance(detail, dict) else {"__all__": detail}


def _assert_import_refused(result: ImportResult, columns: set[str], fragment: str) -> None:
    assert not result.ok
    error = result.errors[0]
    assert error.line == 2, error
    assert error.column in columns, error
    assert fragment in error.message, error.message


# Detection records (activities): a count, a date, notes.


@pytest.fixture
def reporter(make_user: Callable[..., User], make_institution: Callable[..., Institution]) -> User:
    return make_user(
        "inspector", Role.REPORTER, make_institution("vdi", InstitutionKind.LABOUR_INSPECTORATE)
    )


DETECTION = {"kind": "complaint", "date": "2020-02-01", "count": "3"}
DETECTION_RULES = [
    pytest.param({"count": "99999999999"}, "count", "10,000,000", id="count-above-the-maximum"),
    pytest.param({"count": "-1"}, "count", "from 0", id="count-negative"),
    pytest.param({"date": NEXT_YEAR}, "date", "in the future", id="date-in-the-future"),
    pytest.param({"date": "1899-12-31"}, "date", "01/01/1900", id="date-before-1900"),
    pytest.param({"notes": "x" * 10_001}, "notes", "10,000", id="notes-too-long"),
]


@pytest.mark.parametrize(("change", "field", "fragment"), DETECTION_RULES)
def test_a_detection_record_form_refuses(reporter, client_for, change, field, fragment):
    url = reverse("activities:record_create", kwargs={"slug": "detection"})
    response = client_for(reporter, "en").post(url, {**DETECTION, **change})
    errors = _form_errors(response)
    assert field in errors and fragment in " ".join(errors[field])
    assert f'id="id_{field}_error"' in response.content.decode() or field in errors
    assert not DetectionRecord.objects.exists()


@pytest.mark.parametrize(("change", "field", "fragment"), DETECTION_RULES)
def test_the_activities_api_refuses(reporter, client_for, change, field, fragment):
    response = _api(
        client_for(reporter, "en"), "/api/v1/activities/detection/", {**DETECTION, **change}
    )
    errors = _api_errors(response)
    assert field in errors and fragment in " ".join(errors[field])
    assert not DetectionRecord.objects.exists()


@pytest.mark.parametrize(("change", "field", "fragment"), DETECTION_RULES)
def test_the_detection_import_refuses(reporter, change, field, fragment):
    row = {**DETECTION, "notes": "", **change, "external_id": "d-1"}
    result = _import(reporter, "detection_records", _csv(row))
    _assert_import_refused(result, {field}, fragment)
    assert not DetectionRecord.objects.exists()


def test_a_plausible_detection_record_is_saved_through_each_channel(reporter, client_for):
    client = client_for(reporter, "en")
    url = reverse("activities:record_create", kwargs={"slug": "detection"})
    assert client.post(url, DETECTION).status_code == 302
    assert _api(client, "/api/v1/activities/detection/", DETECTION).status_code == 201
    assert _import(reporter, "detection_records", _csv({**DETECTION, "external_id": "d-9"})).ok
    assert DetectionRecord.objects.count() == 3


# The intake (victims): dates, the identity's lengths and formats, the age.

INTAKE = {
    "intake_date": "2020-04-01",
    "referral_channel": "state_police",
    "surname": "Formvārde",
    "sex": "female",
    "citizenship": "LV",
    "age_at_identification": "29",
    "education": "secondary",
    "recruitment_method": "internet",
}
INTAKE_RULES = [
    pytest.param(
        {"intake_date": NEXT_YEAR}, {"intake_date"}, "in the future", id="intake-in-the-future"
    ),
    pytest.param({"intake_date": "1899-12-31"}, {"intake_date"}, "01/01/1900", id="before-1900"),
    pytest.param(
        {"date_of_birth": NEXT_YEAR}, {"date_of_birth"}, "in the future", id="birth-in-the-future"
    ),
    pytest.param({"surname": "x" * 5025}, {"surname"}, "at most 200", id="surname-too-long"),
    pytest.param(
        {"age_at_identification": "5", "date_of_birth": "1990-05-01"},
        {"age_at_identification", "date_of_birth"},
        "does not fit the date of birth",
        id="age-against-birth",
    ),
    pytest.param(
        {"age_at_identification": "121"}, {"age_at_identification"}, "0 to 120", id="age-120"
    ),
    pytest.param(
        {"personal_code": "abc-not-a-code"}, {"personal_code"}, "format", id="code-format"
    ),
    pytest.param(
        {"personal_code": "010190-12345"}, {"personal_code"}, "check digit", id="code-checksum"
    ),
    pytest.param(
        {"personal_code": "310290-12349"}, {"personal_code"}, "date of birth", id="code-date"
    ),
]


def _intake_form(change: dict[str, Any]) -> dict[str, Any]:
    data = {
        **INTAKE,
        "exploitation_forms": ["sexual"],
        "place_1_country": "LV",
        "place_1_region": "riga",
    }
    data.update(change)
    return data


def _intake_api(change: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {**INTAKE, "forms": ["sexual"], "places": ["LV.riga"], **change}
    body["age_at_identification"] = int(body["age_at_identification"])
    return body


def _intake_row(change: dict[str, Any]) -> dict[str, Any]:
    return {"external_id": "A1", **INTAKE, "forms": "sexual", "places": "LV:riga", **change}


@pytest.mark.parametrize(("change", "fields", "fragment"), INTAKE_RULES)
def test_the_intake_form_refuses(owner, client_for, change, fields, fragment):
    response = client_for(owner, "en").post(reverse("victims:case_create"), _intake_form(change))
    errors = _form_errors(response)
    named = fields & set(errors)
    assert named, errors
    assert any(fragment in " ".join(errors[f]) for f in named), errors
    assert not Person.objects.exists()


@pytest.mark.parametrize(("change", "fields", "fragment"), INTAKE_RULES)
def test_the_intake_api_refuses(owner, client_for, change, fields, fragment):
    response = _api(client_for(owner, "en"), "/api/v1/cases/", _intake_api(change))
    errors = _api_errors(response)
    named = fields & set(errors)
    assert named, errors
    assert any(fragment in " ".join(errors[f]) for f in named), errors
    assert not Person.objects.exists()


@pytest.mark.parametrize(("change", "fields", "fragment"), INTAKE_RULES)
def test_the_victim_case_import_refuses(owner, change, fields, fragment):
    result = _import(owner, "victim_cases", _csv(_intake_row(change)))
    _assert_import_refused(result, fields, fragment)
    assert not Person.objects.exists()


@pytest.mark.parametrize("code", [VALID_CODE, VALID_NEW_CODE])
def test_a_plausible_intake_is_saved_through_each_channel(owner, client_for, post_confirmed, code):
    client = client_for(owner, "en")
    change = {"personal_code": code}
    response = post_confirmed(client, reverse("victims:case_create"), _intake_form(change))
    assert response.status_code == 302
    assert _api(client, "/api/v1/cases/", _intake_api(change)).status_code == 201
    assert _import(owner, "victim_cases", _csv(_intake_row(change))).ok
    assert Case.objects.count() == 3


# A recognised victim needs a form of exploitation ("Galvenais veids" is never blank).

COMMISSION = {
    "kind": "commission",
    "decided_on": "2020-03-20",
    "criteria_met": ["purpose_exploitation"],
    "members": "Chair",
}
FORMLESS = "A recognised victim needs a form of exploitation"


def _recognise(owner: User, case: Case) -> None:
    decision_record(
        actor=owner,
        case=case,
        recognised=True,
        decided_on=date(2020, 3, 20),
        kind="commission",
        criteria_met=["purpose_exploitation"],
        members="Chair",
    )


def test_the_decision_form_refuses_to_recognise_without_a_form(owner, client_for, post_confirmed):
    case = make_case(owner, forms=())
    url = reverse("victims:case_decision", args=[case.person.code])
    response = client_for(owner, "en").post(url, {**COMMISSION, "recognised": "yes"})
    errors = _form_errors(response)
    assert FORMLESS in " ".join(errors["recognised"])
    case.refresh_from_db()
    assert case.status == CaseStatus.POTENTIAL and not IdentificationDecision.objects.exists()
    # Not recognised: no form needed.
    response = post_confirmed(
        client_for(owner, "en"), url, {**COMMISSION, "recognised": "no", "reasons": "No means."}
    )
    assert response.status_code == 302


def test_the_decision_api_refuses_to_recognise_without_a_form(owner, client_for):
    case = make_case(owner, forms=())
    url = f"/api/v1/cases/{case.person.code}/decisions"
    errors = _api_errors(_api(client_for(owner, "en"), url, {**COMMISSION, "recognised": True}))
    assert FORMLESS in " ".join(errors["forms"])
    case.refresh_from_db()
    assert case.status == CaseStatus.POTENTIAL and not IdentificationDecision.objects.exists()
    with_form = make_case(owner)
    url = f"/api/v1/cases/{with_form.person.code}/decisions"
    assert _api(client_for(owner), url, {**COMMISSION, "recognised": True}).status_code == 201


def test_the_import_refuses_a_recognised_victim_without_a_form(owner):
    row = {
        **_intake_row({"forms": ""}),
        "decision_kind": "commission",
        "decision_date": "2020-04-20",
        "decision_outcome": "recognised",
        "criteria": "purpose_exploitation",
        "decision_members": "Chair",
    }
    _assert_import_refused(_import(owner, "victim_cases", _csv(row)), {"forms"}, FORMLESS)
    assert not Person.objects.exists()
    assert _import(owner, "victim_cases", _csv({**row, "forms": "sexual"})).ok


def test_the_profile_of_a_recognised_victim_keeps_a_form(owner, client_for):
    case = make_case(owner)
    _recognise(owner, case)
    url = reverse("victims:case_profile_edit", args=[case.person.code])
    response = client_for(owner, "en").post(url, _intake_form({"exploitation_forms": []}))
    errors = _form_errors(response)
    assert FORMLESS in " ".join(errors["exploitation_forms"])
    assert [f.form for f in case.forms.all()] == ["sexual"]


# A service delivered (support): its date, hours and cost. No import type logs services.


@pytest.fixture
def plan(owner: User) -> RehabilitationPlan:
    case = make_case(owner)
    _recognise(owner, case)
    return plan_save(
        actor=owner,
        case=case,
        data=PlanInput(
            starts_on=date(2020, 3, 2), ends_on=date(2020, 8, 28), services=["social_worker"]
        ),
    )


SERVICE = {
    "delivered_on": "2020-03-10",
    "service": "social_worker",
    "specialist_role": "social_worker",
    "hours": "1",
    "cost_eur": "25",
    "limit_reason": "",
}
SERVICE_RULES = [
    pytest.param({"delivered_on": "2030-01-01"}, "delivered_on", "in the future", id="in-2030"),
    pytest.param({"hours": "0", "cost_eur": "0"}, "hours", "hours or its cost", id="nothing"),
    pytest.param({"hours": "201"}, "hours", "200", id="hours-above-the-maximum"),
    pytest.param({"cost_eur": "1000000.01"}, "cost_eur", "1,000,000", id="cost-above"),
    pytest.param({"cost_eur": "-1"}, "cost_eur", "from 0", id="cost-negative"),
    pytest.param(
        {"limit_reason": "x" * 10_001}, "limit_reason", "at most 10,000", id="reason-too-long"
    ),
]


@pytest.mark.parametrize(("change", "field", "fragment"), SERVICE_RULES)
def test_the_service_form_refuses(owner, client_for, plan, change, field, fragment):
    url = reverse("support:services", args=[plan.case.person.code])
    errors = _form_errors(client_for(owner, "en").post(url, {**SERVICE, **change}))
    assert field in errors and fragment in " ".join(errors[field]), errors
    assert not ServiceDelivery.objects.exists()


@pytest.mark.parametrize(("change", "field", "fragment"), SERVICE_RULES)
def test_the_service_api_refuses(owner, client_for, plan, change, field, fragment):
    url = f"/api/v1/support/plans/{plan.case.person.code}/services"
    response = _api(client_for(owner, "en"), url, {**SERVICE, **change})
    assert response.status_code == 422, response.content
    detail = json.dumps(response.json()["detail"], ensure_ascii=False)
    assert field in detail and fragment in detail
    assert not ServiceDelivery.objects.exists()


def test_a_plausible_service_is_saved_through_each_channel(owner, client_for, plan):
    client = client_for(owner, "en")
    code = plan.case.person.code
    assert client.post(reverse("support:services", args=[code]), SERVICE).status_code == 302
    url = f"/api/v1/support/plans/{code}/services"
    assert _api(client, url, SERVICE).status_code == 201
    assert ServiceDelivery.objects.count() == 2


def test_the_funding_page_offers_no_future_year_of_services(owner, client_for, plan):
    client_for(owner).post(
        reverse("support:services", args=[plan.case.person.code]),
        {**SERVICE, "delivered_on": "2030-01-01"},
    )
    from thb.support.selectors import funding_years

    assert 2030 not in funding_years()


# A proceeding (justice): its start and its notes. The justice API only reads.


@pytest.fixture
def investigator(make_user: Callable[..., User], police: Institution) -> User:
    return make_user("investigator", Role.PROCESS_DIRECTOR, police)


PROCEEDING = {
    "number": "11816000777",
    "sections": ["154.1"],
    "started_on": "2020-03-01",
    "exploitation_form": "sexual",
    "sector": "",
    "notes": "",
}
PROCEEDING_RULES = [
    pytest.param({"started_on": "1899-12-31"}, "started_on", "01/01/1900", id="before-1900"),
    pytest.param({"started_on": NEXT_YEAR}, "started_on", "in the future", id="future"),
    pytest.param({"notes": "x" * 20_000}, "notes", "at most 10,000", id="notes-too-long"),
]


@pytest.mark.parametrize(("change", "field", "fragment"), PROCEEDING_RULES)
def test_the_proceeding_form_refuses(investigator, client_for, change, field, fragment):
    url = reverse("justice:proceeding_create")
    errors = _form_errors(client_for(investigator, "en").post(url, {**PROCEEDING, **change}))
    assert field in errors and fragment in " ".join(errors[field]), errors
    assert not Proceeding.objects.exists()


@pytest.mark.parametrize(("change", "field", "fragment"), PROCEEDING_RULES)
def test_the_proceeding_import_refuses(investigator, change, field, fragment):
    result = _import(investigator, "justice_proceedings", _csv({**PROCEEDING, **change}))
    _assert_import_refused(result, {field}, fragment)
    assert not Proceeding.objects.exists()
