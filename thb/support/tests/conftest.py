"""Support test fixtures: recognised cases at the owner's institution and their plans."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.support import services
from thb.support.models import RehabilitationPlan
from thb.victims.models import Case, CaseStatus, Person


@pytest.fixture
def make_case(db: None) -> Callable[..., Case]:
    def make(
        code: str,
        institution: Institution,
        *,
        status: str = CaseStatus.RECOGNISED,
        citizenship: str = "LV",
        decided_on: date | None = date(2020, 3, 2),
    ) -> Case:
        person = Person.objects.create(code=code, sex="female", citizenship=citizenship)
        return Case.objects.create(
            person=person,
            institution=institution,
            status=status,
            intake_date=date(2020, 2, 20),
            referral_channel="self",
            decided_on=decided_on if status != CaseStatus.POTENTIAL else None,
        )

    return make


@pytest.fixture
def case(make_case: Callable[..., Case], provider: Institution) -> Case:
    return make_case("ABC234", provider)


@pytest.fixture
def make_plan() -> Callable[..., RehabilitationPlan]:
    def make(
        actor: User, case: Case, starts_on: date = date(2020, 3, 2), days: int = 180, **kw: Any
    ) -> RehabilitationPlan:
        return services.plan_save(
            actor=actor,
            case=case,
            data=services.PlanInput(
                starts_on=starts_on,
                ends_on=date.fromordinal(starts_on.toordinal() + days - 1),
                services=kw.get("services", ["social_worker", "psychologist"]),
                limit_reason=kw.get("limit_reason", ""),
            ),
        )

    return make


@pytest.fixture
def plan(
    owner: User, case: Case, make_plan: Callable[..., RehabilitationPlan]
) -> RehabilitationPlan:
    return make_plan(owner, case)


def delivery(
    on: date, service: str = "social_worker", hours: str = "1", cost: str = "25", reason: str = ""
) -> services.DeliveryInput:
    return services.DeliveryInput(
        delivered_on=on,
        service=service,
        specialist_role="social_worker",
        hours=Decimal(hours),
        cost_eur=Decimal(cost),
        limit_reason=reason,
    )


@pytest.fixture
def welfare(make_user: Callable[..., User], make_institution: Callable[..., Institution]) -> User:
    return make_user("labklajiba", Role.REPORTER, make_institution("lm", InstitutionKind.MINISTRY))


@pytest.fixture
def legal_aid(make_user: Callable[..., User], make_institution: Callable[..., Institution]) -> User:
    return make_user("jpa", Role.REPORTER, make_institution("jpa", InstitutionKind.LEGAL_AID))
