"""Amounts and hours within the profile's limits, through the API, the pages and the
services alike; and the pages, figures and report survive values stored out of range
before inputs were bounded (they used to answer 500, decimal.InvalidOperation)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DataError, connection, transaction
from django.test import Client

from thb.accounts.models import User
from thb.support.models import RehabilitationPlan, ServiceDelivery, StateCompensation
from thb.victims.models import Case

pytestmark = pytest.mark.django_db


def _client(client_for: Callable[..., Client], user: User) -> Client:
    return client_for(user, language="en")


@pytest.mark.parametrize("amount", ["1e30", "0.001", "-5", "NaN", "0", "99999999999999999999"])
def test_the_compensation_api_refuses_an_amount_out_of_range(
    client_for: Callable[..., Client], legal_aid: User, case: Case, amount: str
) -> None:
    response = _client(client_for, legal_aid).post(
        "/api/v1/support/compensations",
        {"case_code": case.person.code, "paid_on": "2020-06-01", "amount_eur": amount},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert "amount_eur" in response.content.decode()
    assert not StateCompensation.objects.exists()


def test_the_compensation_api_accepts_a_payment_to_the_cent(
    client_for: Callable[..., Client], legal_aid: User, case: Case
) -> None:
    response = _client(client_for, legal_aid).post(
        "/api/v1/support/compensations",
        {"case_code": case.person.code, "paid_on": "2020-06-01", "amount_eur": "1935.5"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert StateCompensation.objects.get().amount_eur == Decimal("1935.50")


@pytest.mark.parametrize("paid_on", ["0001-01-01", "2999-01-01"])
def test_the_compensation_api_refuses_a_date_out_of_range(
    client_for: Callable[..., Client], legal_aid: User, case: Case, paid_on: str
) -> None:
    response = _client(client_for, legal_aid).post(
        "/api/v1/support/compensations",
        {"case_code": case.person.code, "paid_on": paid_on, "amount_eur": "10"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "paid_on" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"), [("hours", "1e9"), ("hours", "200.01"), ("cost_eur", "1e30")]
)
def test_the_service_api_refuses_hours_and_costs_out_of_range(
    client_for: Callable[..., Client],
    owner: User,
    plan: RehabilitationPlan,
    field: str,
    value: str,
) -> None:
    payload = {
        "delivered_on": "2020-03-10",
        "service": "social_worker",
        "specialist_role": "social_worker",
        "hours": "1",
        "cost_eur": "25",
        field: value,
    }
    response = _client(client_for, owner).post(
        f"/api/v1/support/plans/{plan.case.person.code}/services",
        payload,
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert not ServiceDelivery.objects.exists()
    # The plan still opens.
    assert (
        _client(client_for, owner).get(f"/api/v1/support/plans/{plan.case.person.code}").status_code
        == 200
    )


def test_the_service_page_shows_the_limit_at_the_field(
    client_for: Callable[..., Client], owner: User, plan: RehabilitationPlan
) -> None:
    response = _client(client_for, owner).post(
        f"/support/plans/{plan.case.person.code}/services/",
        {
            "delivered_on": "2020-03-10",
            "service": "social_worker",
            "specialist_role": "social_worker",
            "hours": "1e9",
            "cost_eur": "0.001",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "hours" in form.errors and "cost_eur" in form.errors
    assert not ServiceDelivery.objects.exists()


@pytest.mark.usefixtures("demo")
def test_pages_figures_and_the_report_survive_values_stored_out_of_range() -> None:
    payment = StateCompensation.objects.order_by("pk").first()
    delivery = ServiceDelivery.objects.order_by("pk").first()
    assert payment is not None and delivery is not None
    if connection.vendor != "sqlite":
        # PostgreSQL enforces the column's precision: such a value is never stored.
        with pytest.raises(DataError), transaction.atomic():
            StateCompensation.objects.filter(pk=payment.pk).update(amount_eur=Decimal("1e30"))
        return
    # As the unbounded API stored them (SQLite keeps any value a column is given).
    StateCompensation.objects.filter(pk=payment.pk).update(amount_eur=Decimal("1e30"))
    ServiceDelivery.objects.filter(pk=delivery.pk).update(
        hours=Decimal("1e9"), cost_eur=Decimal("1e25")
    )
    code = delivery.plan.case.person.code
    owner = User.objects.get(
        role="caseworker",
        institution_id=delivery.plan.case.institution_id,
        username__in=["marta", "drosamaja"],
    )
    pages = {
        None: ["/reports/public/"],
        "koordinators": [
            "/reports/statistics/",
            "/support/funding/",
            "/api/v1/reports/figures/2020",
        ],
        "labklajiba": ["/support/funding/", "/api/v1/support/funding/2020"],
        "jpa": ["/support/compensation/"],
        owner.username: [
            f"/support/plans/{code}/",
            f"/support/plans/{code}/services/",
            f"/api/v1/support/plans/{code}",
            "/support/",
        ],
    }
    for username, urls in pages.items():
        client = Client()
        if username is not None:
            client.force_login(User.objects.get(username=username))
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
    out = io.StringIO()
    call_command("report", "2020", format="json", stdout=out)
    assert json.loads(out.getvalue())
