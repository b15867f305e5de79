"""The residence track reads the case's victim status from the victim register (one
place: thb.victims.selectors.case_victim_status), whether or not a step of the track
has been recorded: the page never says "no status" of a recognised victim whose
application deadline it counts from that status."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from thb.residence import services
from thb.residence.models import ResidenceTrack, StatusBasis
from thb.victims.selectors import VictimStatus, case_victim_status

pytestmark = pytest.mark.django_db


def _timeline(response) -> str:
    html = response.content.decode()
    return html[html.index('class="timeline"') :]


def test_a_recognised_victim_without_a_track_has_the_status_on_the_page(case, owner, client_for):
    assert not ResidenceTrack.objects.filter(case=case).exists()
    response = client_for(owner, language="en").get(
        reverse("residence:track", args=[case.person.code])
    )
    timeline = _timeline(response)
    assert "No victim status yet." not in timeline
    assert "Victim status granted" in timeline
    assert '<time datetime="2020-10-02">02/10/2020</time>' in timeline


def test_every_time_element_of_the_timeline_holds_a_date_or_a_dash(case, owner, client_for):
    services.information_record(actor=owner, case=case, given_on=date(2020, 10, 2))
    response = client_for(owner, language="en").get(
        reverse("residence:track", args=[case.person.code])
    )
    shown = re.findall(r"<time(?: datetime=\"([^\"]*)\")?>([^<]*)</time>", _timeline(response))
    assert any(text != "—" for _, text in shown)
    # A date is shown as English writes it, with the ISO day for machines; else a dash.
    for iso, text in shown:
        if text == "—":
            assert not iso
        else:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso), shown
            assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", text), shown


def test_the_track_and_its_deadline_count_from_the_same_status(make_case, owner):
    case = make_case(decided_on=None, injured_party_on=date(2020, 11, 3))
    assert case_victim_status(case) == VictimStatus("injured_party", date(2020, 11, 3))
    track = services.track_start(actor=owner, case=case)
    assert (track.status_basis, track.status_granted_on) == (
        StatusBasis.INJURED_PARTY,
        date(2020, 11, 3),
    )
    deadline = track.deadlines.get()
    assert deadline.started_on == date(2020, 11, 3)
    assert deadline.due_on == services.application_due_on(date(2020, 11, 3))


def test_a_potential_victim_has_no_status(make_case, owner, client_for):
    case = make_case(code="TJ0002", decided_on=None)
    assert case_victim_status(case) is None
    response = client_for(owner, language="en").get(
        reverse("residence:track", args=[case.person.code])
    )
    assert "No victim status yet." in _timeline(response)
