"""The caseworker's plans near the limits: counted from the institution's running
plans (in their course or after-course window) only, each limit on its own line,
linking to the plans; never another institution's plans."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from thb.core.charts import Value
from thb.support import services
from thb.support.dashboard import sections
from thb.support.tests.conftest import delivery

pytestmark = pytest.mark.django_db

TODAY = date(2020, 8, 20)


def _counts(actor, today=TODAY) -> list[Value]:
    (section,) = sections(actor=actor, today=today)
    return [bar.value for bar in section.bar_chart().bars]


def test_the_caseworker_counts_the_institutions_plans_near_a_limit(
    owner, colleague, provider, other_provider, make_case, make_plan
):
    # In its last fifth of 180 days on TODAY.
    make_plan(owner, make_case("A00001", provider), starts_on=date(2020, 3, 2))
    # 200 days: beyond the limit, with the reason; also in its last days.
    make_plan(
        owner,
        make_case("A00002", provider),
        starts_on=date(2020, 3, 2),
        days=200,
        limit_reason="Trial pending.",
    )
    # Ended in May: 4 of the 5 after-course consultations used.
    short = make_plan(owner, make_case("A00003", provider), starts_on=date(2020, 2, 1), days=100)
    for n in range(4):
        services.service_deliver(
            actor=owner, plan=short, data=delivery(short.ends_on + timedelta(days=n + 1))
        )
    # Another institution's plan beyond the limit.
    make_plan(
        colleague,
        make_case("B00001", other_provider),
        starts_on=date(2020, 3, 2),
        days=200,
        limit_reason="Other.",
    )
    # beyond a limit, course ending, after-course consultations, criminal-proceedings hours
    assert _counts(owner) == [1, 2, 1, 0]
    assert _counts(colleague) == [1, 1, 0, 0]
    # Years later none of these plans is running any more.
    assert _counts(owner, today=date(2026, 1, 1)) == [0, 0, 0, 0]


def test_the_section_links_to_the_plans(owner, client_for):
    (section,) = sections(actor=owner, today=TODAY)
    url = reverse("support:index")
    assert section.links[0][0] == url
    assert client_for(owner).get(url).status_code == 200


def test_roles_without_plans_get_no_section(coordinator, welfare):
    assert sections(actor=coordinator, today=TODAY) == []
    assert sections(actor=welfare, today=TODAY) == []
