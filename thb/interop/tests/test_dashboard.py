"""The submissions on the home page: a reporter's own submission of the reporting year
(never another institution's), and for the coordinator the institutions by status."""

from __future__ import annotations

import pytest
from django.utils import timezone

from thb.interop.dashboard import reporting_year, sections
from thb.interop.services import submission_start

pytestmark = pytest.mark.django_db


def test_the_reporter_sees_the_own_submissions_status(reporter, other_reporter, client_for):
    today = timezone.localdate()
    year = reporting_year(today)
    submission_start(actor=other_reporter, year=year)
    (section,) = sections(actor=reporter, today=today)
    assert str(year) in section.title
    assert section.note.startswith("Not started")
    submission_start(actor=reporter, year=year)
    (section,) = sections(actor=reporter, today=today)
    assert section.note.startswith("Draft")
    url = section.links[0][0]
    assert client_for(reporter).get(url).status_code == 200


def test_the_coordinator_sees_the_institutions_by_status(reporter, other_reporter, coordinator):
    today = timezone.localdate()
    year = reporting_year(today)
    submission_start(actor=reporter, year=year)
    (section,) = sections(actor=coordinator, today=today)
    chart = section.column_chart()
    assert chart.categories == [str(year)]
    by_status = {series.label: series.values for series in chart.series}
    assert by_status["not started"] == [1]  # the other reporter's institution
    assert by_status["draft"] == [1]
    assert by_status["accepted"] == [0]


def test_caseworkers_get_no_submissions_section(owner):
    assert sections(actor=owner, today=timezone.localdate()) == []
