"""A case opened for a victim identified abroad: the intake service records the country
(a known country other than the home country), through the form's rules and the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from thb.victims.models import Case
from thb.victims.services import Intake, intake_check


@pytest.mark.parametrize("country", ["LV", "XX"])
def test_the_country_abroad_must_be_another_known_country(country, db):
    intake = Intake(
        intake_date=date(2020, 6, 1), referral_channel="ngo_abroad", identified_abroad_in=country
    )
    with pytest.raises(ValidationError) as refused:
        intake_check(intake)
    assert "identified_abroad_in" in refused.value.message_dict


@pytest.mark.django_db
def test_the_api_opens_a_case_identified_abroad(client_for, owner):
    response = client_for(owner).post(
        "/api/v1/cases/",
        {
            "intake_date": "2020-06-01",
            "referral_channel": "ngo_abroad",
            "identified_abroad_in": "RS",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(person__code=response.json()["code"])
    assert str(case.identified_abroad_in) == "RS"
    assert case.events.get(kind="intake").data["abroad"] == "RS"
