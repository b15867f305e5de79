"""The deadlines on the home page: overdue and due within the week, counted as the
deadlines page lists them, for the institution in the responsible role only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from thb.core.charts import Value
from thb.residence import services
from thb.residence.dashboard import sections

pytestmark = pytest.mark.django_db


def _values(actor) -> list[Value]:
    (section,) = sections(actor=actor, today=timezone.localdate())
    return [bar.value for bar in section.bar_chart().bars]


def test_the_caseworker_counts_overdue_and_due_deadlines(make_case, owner, colleague, director):
    today = timezone.localdate()
    services.information_record(actor=owner, case=make_case(), given_on=today)  # 2020: overdue
    recent = make_case(code="TJ0002", decided_on=today - timedelta(days=1))
    services.information_record(actor=owner, case=recent, given_on=today)  # due in 2 days
    assert _values(owner) == [1, 1]
    assert _values(colleague) == [0, 0]  # another institution's caseworker
    assert _values(director) == [0, 0]  # the application is the caseworker's to make


def test_the_section_links_to_the_deadlines_page(owner, client_for):
    (section,) = sections(actor=owner, today=timezone.localdate())
    url = reverse("residence:deadlines")
    assert all(bar.url == url for bar in section.bar_chart().bars)
    assert client_for(owner).get(url).status_code == 200


def test_roles_without_deadlines_get_no_section(coordinator):
    assert sections(actor=coordinator, today=timezone.localdate()) == []
