"""End to end in Debian Chromium: a process director records the reflection-period
decision and finds the evaluation deadline on the deadlines page; a caseworker at
another institution cannot open the residence page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from thb.conftest import login
from thb.residence import services
from thb.residence.models import Deadline, DeadlineKind


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_decision_deadline_and_colleague_boundary(page, make_case, owner, director, colleague):
    today = timezone.localdate()
    case = make_case(code="TJ-BROWSER", decided_on=today - timedelta(days=34))
    services.application_record(actor=owner, case=case, submitted_on=today - timedelta(days=33))
    code = case.person.code

    login(page, "director")
    page.goto(f"/residence/{code}/")
    page.click(f"a[href='/residence/{code}/decision/']")
    page.fill("#id_decided_on", (today - timedelta(days=31)).isoformat())
    page.check("input[name=granted][value=yes]")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/residence/{code}/$"))
    due = Deadline.objects.get(kind=DeadlineKind.EVALUATION).due_on.isoformat()
    # Shown in the page's language, the ISO date in the time element's datetime.
    assert f'datetime="{due}"' in page.content()

    page.goto("/residence/deadlines/")
    row = page.locator("tr", has_text=code)
    assert row.count() == 1
    assert row.locator(f'time[datetime="{due}"]').count() == 1

    page.context.clear_cookies()
    login(page, "colleague")
    response = page.goto(f"/residence/{code}/")
    assert response is not None and response.status == 404
