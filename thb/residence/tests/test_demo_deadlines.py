"""The demo's deadlines page shows something to each role that may see it: an overdue
application deadline to the caseworkers, an overdue evaluation to a process director,
a permit request waiting to PMLP, and (the referrals') deadlines due this week, on the
page and on each provider caseworker's home page, while the statistics still open on
the demo's 2021; and the recognised victim whose application is overdue has the status
on the track page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from thb.accounts.models import Role, User
from thb.core.years import default_year
from thb.residence.dashboard import sections
from thb.residence.models import Deadline, DeadlineKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _open(kind: str) -> Deadline:
    return Deadline.objects.select_related("track__case__person").get(
        kind=kind, met_on__isnull=True, cancelled_on__isnull=True
    )


def _user(role: str, institution_id: int) -> User:
    user = User.objects.filter(role=role, institution_id=institution_id).order_by("pk").first()
    assert user is not None
    return user


def test_the_caseworker_sees_the_overdue_application_and_the_status(client_for):
    deadline = _open(DeadlineKind.APPLICATION)
    caseworker = _user(Role.CASEWORKER, deadline.responsible_institution_id)
    client = client_for(caseworker, language="en")
    page = client.get(reverse("residence:deadlines"))
    assert page.context["view"].overdue == [deadline]
    assert page.context["other_due_soon"], "the referrals' deadlines due this week"
    code = deadline.track.case.person.code
    track = client.get(reverse("residence:track", args=[code])).content.decode()
    assert "No victim status yet." not in track
    assert deadline.started_on.isoformat() in track


def test_a_process_director_sees_the_overdue_evaluation(client_for):
    deadline = _open(DeadlineKind.EVALUATION)
    director = _user(Role.PROCESS_DIRECTOR, deadline.responsible_institution_id)
    page = client_for(director).get(reverse("residence:deadlines"))
    assert deadline in page.context["view"].overdue


def test_the_migration_office_sees_a_request_waiting(client_for):
    pmlp = User.objects.get(username="pmlp")
    page = client_for(pmlp).get(reverse("residence:deadlines"))
    assert len(page.context["pending_requests"]) == 1


@pytest.mark.parametrize("username", ["marta", "drosamaja"])
def test_each_provider_caseworker_has_deadlines_due_this_week(client_for, username):
    caseworker = User.objects.get(username=username)
    (section,) = sections(actor=caseworker, today=timezone.localdate())
    overdue, due = (bar.value or 0 for bar in section.bar_chart().bars)
    assert overdue >= 1 and due >= 1
    home = client_for(caseworker, language="en").get(reverse("core:home")).content.decode()
    assert "Deadlines this week" in home
    page = client_for(caseworker).get(reverse("residence:deadlines"))
    assert page.context["other_due_soon"]
    assert default_year() == 2021  # nothing in the demo is dated in a later year's records
