"""The personal code (format and check digit from the profile), the date of birth
(not before 1900, not in the future) and the age at identification against it: the
same rules on the intake page, in the service and in the import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from thb.accounts.models import Institution, Role, User
from thb.interop.importer import import_file
from thb.interop.registry import get_import_type
from thb.victims.models import Case, Person
from thb.victims.policy import identity_for
from thb.victims.services import Identity, Intake, VictimProfile, case_create
from thb.victims.tests.test_views import _intake_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"personal_code": "not a code"}, "personal_code"),
        ({"personal_code": "010101-10007"}, "personal_code"),  # wrong check digit
        # Valid, but it carries another date of birth (1 January 1901).
        ({"personal_code": "010101-10006", "date_of_birth": "1996-01-20"}, "personal_code"),
        ({"date_of_birth": "0001-01-01"}, "date_of_birth"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "1996-01-20", "age_at_identification": "60"}, "age_at_identification"),
        ({"age_at_identification": "99999999999999999999"}, "age_at_identification"),
        ({"age_at_identification": "-1"}, "age_at_identification"),
    ],
)
def test_the_intake_page_names_the_field_and_saves_nothing(
    client_for: Callable[..., Client], owner: User, changes: dict[str, str], field: str
) -> None:
    response = client_for(owner).post(reverse("victims:case_create"), _intake_post(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Person.objects.count() == 0


@pytest.mark.parametrize("code", ["200196-10000", "320000-12345", ""])
def test_the_intake_page_accepts_a_valid_or_no_personal_code(
    client_for: Callable[..., Client], owner: User, code: str, post_confirmed: Callable[..., Any]
) -> None:
    post = _intake_post(personal_code=code, date_of_birth="1996-01-20")
    response = post_confirmed(client_for(owner), reverse("victims:case_create"), post)
    assert response.status_code == 302
    case = Case.objects.get()
    identity = identity_for(owner, case)
    assert identity is not None
    assert identity.personal_code == code


def test_the_service_refuses_an_age_contradicting_the_date_of_birth(owner: User) -> None:
    intake = Intake(
        intake_date=date(2020, 4, 1),
        referral_channel="state_police",
        victim=VictimProfile(sex="female", age_at_identification=12),
        identity=Identity(date_of_birth=date(1990, 5, 5)),
    )
    with pytest.raises(ValidationError) as exc:
        case_create(actor=owner, intake=intake)
    assert "age_at_identification" in exc.value.message_dict
    # The age at intake (29) and one more (identified later) both fit.
    intake.victim.age_at_identification = 30
    assert case_create(actor=owner, intake=intake).age_at_identification == 30


def test_the_import_names_row_and_column_of_a_bad_personal_code_or_age(
    make_user: Callable[..., User], provider: Institution
) -> None:
    importer = make_user("importer", Role.CASEWORKER, provider)
    data = (
        b"external_id,intake_date,referral_channel,date_of_birth,age_at_identification,"
        b"personal_code\n"
        b"A-1,2020-03-15,self,1996-01-20,24,123\n"
        b"A-2,2020-03-15,self,1996-01-20,70,\n"
        b"A-3,2020-03-15,self,0001-01-01,,\n"
    )
    with translation.override("en"):
        result = import_file(
            actor=importer,
            import_type=get_import_type("victim_cases"),
            file_name="cases.csv",
            data=data,
        )
    where = {(e.line, e.column) for e in result.errors}
    assert (2, "personal_code") in where
    assert (3, "age_at_identification") in where
    assert (4, "date_of_birth") in where
    assert Person.objects.count() == 0


def test_a_missing_age_is_derived_from_the_date_of_birth(owner: User) -> None:
    intake = Intake(
        intake_date=date(2020, 4, 1),
        referral_channel="state_police",
        victim=VictimProfile(sex="female"),
        identity=Identity(date_of_birth=date(2005, 5, 5)),
    )
    case = case_create(actor=owner, intake=intake)
    # Born in 2005, taken in on 2020-04-01: 14, so a minor in every figure.
    assert case.age_at_identification == 14 and case.is_minor


def test_an_age_contradicting_the_date_of_birth_names_both_fields(owner: User) -> None:
    intake = Intake(
        intake_date=date(2020, 4, 1),
        referral_channel="state_police",
        victim=VictimProfile(sex="female", age_at_identification=30),
        identity=Identity(date_of_birth=date(2005, 5, 5)),
    )
    with pytest.raises(ValidationError) as exc:
        case_create(actor=owner, intake=intake)
    assert {"age_at_identification", "date_of_birth"} <= set(exc.value.message_dict)
