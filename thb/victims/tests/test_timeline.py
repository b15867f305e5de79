"""The case timeline is ordered by the day each thing happened (the date the event
records), shows when it was entered as secondary, and shows a run of events of one
kind as one line with its count and its first and last day."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from thb.victims.selectors import case_timeline, event_date
from thb.victims.services import case_event_record
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db


def _services(case, owner, first: date, count: int) -> None:
    for index in range(count):
        case_event_record(
            case=case,
            actor=owner,
            kind="support_service_logged",
            data={"delivered_on": first + timedelta(days=2 * index), "hours": "1"},
        )


def test_events_are_ordered_by_the_day_they_happened(owner):
    case = make_case(owner, intake_date=date(2020, 3, 2))
    # Entered after the intake, but it happened before the services logged earlier.
    _services(case, owner, date(2020, 5, 3), 3)
    case_event_record(
        case=case,
        actor=owner,
        kind="residence.information_given",
        data={"given_on": date(2020, 4, 1)},
    )
    entries = case_timeline(case)
    assert [entry.on for entry in entries] == [date(2020, 3, 2), date(2020, 4, 1), date(2020, 5, 3)]
    assert [entry.count for entry in entries] == [1, 1, 3]
    assert entries[2].last_on == date(2020, 5, 7)


def test_an_event_without_a_recorded_day_takes_the_day_it_was_entered(owner):
    case = make_case(owner)
    case_event_record(case=case, actor=owner, kind="referrals.accepted", data={})
    event = case.events.get(kind="referrals.accepted")
    # The day in the installation's time zone (Riga), not in UTC: after 22:00 UTC they differ.
    assert event_date(event) == timezone.localtime(event.at).date()


def test_the_case_page_groups_repeated_events_with_their_range(client_for, owner):
    case = make_case(owner, intake_date=date(2020, 3, 2))
    _services(case, owner, date(2020, 5, 3), 13)
    html = (
        client_for(owner, language="en")
        .get(reverse("victims:case_detail", args=[case.person.code]))
        .content.decode()
    )
    timeline = html[html.index('class="timeline"') :]
    assert timeline.count("Rehabilitation service logged") == 1
    assert "13 entries" in timeline
    first, last = '<time datetime="2020-05-03">03/05/2020</time>', '<time datetime="2020-05-27">'
    assert f"{first} – {last}" in timeline
    # The day it happened leads each line; the entry time follows, marked as such.
    first_line = re.search(r"<li>(.*?)</li>", timeline, re.S)
    assert first_line is not None
    assert first_line.group(1).strip().startswith('<time datetime="2020-03-02">02/03/2020</time>')
    assert "entered" in first_line.group(1)
