"""Acceptance, end to end in Debian Chromium (issue 11, part 1): a caseworker puts a
case before the specialist commission; the commission meets with the case on its
agenda; two members record their positions; the decision is recorded; the minutes
download as a PDF naming the case."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

from thb.commission.models import Submission
from thb.conftest import login
from thb.reports.tests.pdftext import pdf_text
from thb.victims.models import CaseStatus, IdentificationDecision


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_case_goes_through_the_commission_to_its_minutes(
    page, live_server, owner, chair, psychologist, police_member, make_case
):
    # The server's first answer imports and compiles templates: on a loaded machine it
    # can take longer than a page's timeout, so it is asked for once before the walk.
    urllib.request.urlopen(live_server.url + "/accounts/login/", timeout=120).read()  # noqa: S310  (the test server over http)
    page.set_default_timeout(45_000)
    case = make_case(owner)
    code = case.person.code

    # The provider's caseworker puts the case before the commission.
    login(page, "owner")
    page.goto(f"/cases/{code}/")
    page.click("a[href='/commission/cases/" + code + "/submit/']")
    page.fill("#id_submitted_on", "2020-03-10")
    page.fill("#id_summary", "Vervēta internetā darbam ārzemēs, ekspluatēta seksuāli.")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/commission/$"))
    assert code in page.locator("main").inner_text()
    page.context.clear_cookies()

    # The chair convenes the commission, records who attends and sets the agenda.
    login(page, "chair")
    page.goto("/commission/")
    page.click("a[href='/commission/meetings/new/']")
    page.fill("#id_held_on", "2020-03-20")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/commission/meetings/\d+/attendance/$"))
    for member in (chair, psychologist, police_member):
        page.check(f"input[name=members][value='{member.pk}']")
    page.check(f"input[name=chair][value='{chair.pk}']")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/agenda/$"))
    submission = Submission.objects.get(case=case)
    page.check(f"input[name=submissions][value='{submission.pk}']")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/commission/meetings/\d+/$"))
    meeting_url = page.url
    assert "kvorums ir" in page.locator(".quorum").inner_text()

    # Two members record their positions.
    page.click(f"text={code}")
    page.check("input[name='position-stance'][value='recognise']")
    page.fill("#id_position-reasons", "Maldināšana un ekspluatācijas nolūks.")
    page.click("button[value=position]")
    item_url = page.url
    page.context.clear_cookies()

    login(page, "police_member")
    page.goto(item_url)
    assert "Ozola" not in page.content()  # never the identity
    page.check("input[name='position-stance'][value='recognise']")
    page.fill("#id_position-reasons", "Atbilst policijas rīcībā esošajai informācijai.")
    page.click("button[value=position]")
    assert page.locator("table.positions tbody tr").count() == 2
    assert page.locator("button[value=decision]").count() == 0  # the chair's provider decides
    page.context.clear_cookies()

    # The chair records the decision.
    login(page, "chair")
    page.goto(item_url)
    page.check("input[name='decision-recognised'][value='yes']")
    for criterion in ("act_recruitment_transport", "means_deception", "purpose_exploitation"):
        page.check(f"input[name='decision-criteria_met'][value='{criterion}']")
    page.fill("#id_decision-reasons", "Atbilst 2. pielikuma kritērijiem.")
    page.click("button[value=decision]")
    page.wait_for_url(meeting_url)
    decision = IdentificationDecision.objects.get(case=case)
    assert decision.recognised and decision.kind == "commission"
    case.refresh_from_db()
    assert case.status == CaseStatus.RECOGNISED

    # The minutes download as a PDF naming the case.
    with page.expect_download() as info:
        page.click("a[download]")
    content = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename.endswith(".pdf")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert code in text and "Speciālistu komisijas sēdes protokols" in text
