"""The commission's pages as each persona sees them: the members of a provider's
commission (its own and the police representative) see its submitted cases as
summaries and its meetings, never the identity; another provider's commission and
caseworker see nothing of them; the provider sees its own submissions' status and its
deadlines. The minutes download as a Latvian PDF naming the case, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.commission import services
from thb.commission.selectors import submission_deadlines
from thb.reports.tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(chair, psychologist, police_member, submitted):
    meeting = services.meeting_create(actor=chair, held_on=date(2020, 3, 20))
    services.attendance_record(
        actor=chair, meeting=meeting, members=[chair, psychologist, police_member], chair=chair
    )
    services.agenda_set(actor=chair, meeting=meeting, submissions=[submitted])
    item = meeting.items.get()
    for member in (chair, psychologist, police_member):
        services.position_record(actor=member, item=item, stance="recognise", reasons="Fits.")
    services.item_decide(
        actor=chair,
        item=item,
        recognised=True,
        criteria_met=["purpose_exploitation", "means_deception"],
        reasons="Meets the criteria.",
    )
    return meeting


def _code(submitted) -> str:
    return submitted.case.person.code


def test_the_commissions_members_see_the_summary_without_identity(
    client_for, chair, police_member, meeting, submitted
):
    item = meeting.items.get()
    for member in (chair, police_member):
        client = client_for(member)
        for url in (
            reverse("commission:index"),
            reverse("commission:meeting_detail", args=[meeting.pk]),
            reverse("commission:item_detail", args=[item.pk]),
        ):
            page = client.get(url).content.decode()
            assert _code(submitted) in page
            assert "Ozola" not in page and "Laura" not in page and "+371" not in page
    page = client_for(police_member).get(reverse("commission:item_detail", args=[item.pk]))
    assert "Recruited online" in page.content.decode()  # the provider's summary


def test_another_providers_commission_and_others_see_nothing(
    client_for, other_member, colleague, outsider, coordinator, meeting, submitted
):
    item = meeting.items.get()
    for user in (other_member, colleague, outsider, coordinator):
        client = client_for(user)
        for url in (
            reverse("commission:meeting_detail", args=[meeting.pk]),
            reverse("commission:item_detail", args=[item.pk]),
            reverse("commission:minutes", args=[meeting.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)
    assert _code(submitted) not in client_for(other_member).get("/commission/").content.decode()
    assert _code(submitted) not in client_for(colleague).get("/commission/").content.decode()
    assert client_for(outsider).get("/commission/").status_code == 403
    assert client_for(coordinator).get("/commission/").status_code == 403


def test_the_provider_sees_its_submissions_status_and_not_the_meetings(
    client_for, owner, meeting, submitted
):
    client = client_for(owner, "en")
    page = client.get("/commission/").content.decode()
    assert _code(submitted) in page and "recognised" in page
    assert reverse("commission:meeting_detail", args=[meeting.pk]) not in page
    assert client.get(reverse("commission:meeting_detail", args=[meeting.pk])).status_code == 404


def test_overdue_submissions_are_on_the_provider_and_commission_deadlines(
    client_for, owner, colleague, police_member, submitted
):
    today = date(2020, 5, 1)
    for user in (owner, police_member):
        items = submission_deadlines(actor=user, today=today, horizon=today)
        assert [i.reference for i in items] == [_code(submitted)]
        assert items[0].due_on == date(2020, 4, 9) < today
    assert submission_deadlines(actor=colleague, today=today, horizon=today) == []
    page = client_for(owner).get(reverse("residence:deadlines")).content.decode()
    assert _code(submitted) in page


def test_the_caseworker_submits_through_the_form(client_for, owner, make_case):
    case = make_case(owner)
    url = reverse("commission:submit", args=[case.person.code])
    client = client_for(owner, "en")
    refused = client.post(url, {"submitted_on": "2019-01-01", "summary": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "The submission cannot precede the intake." in body
    assert "This field is required." in body  # the summary
    done = client.post(url, {"submitted_on": "2020-03-12", "summary": "What happened."})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.submitted_to_commission_on == date(2020, 3, 12)


def test_the_minutes_are_a_latvian_pdf_naming_the_case_and_the_download_is_audited(
    client_for, police_member, meeting, submitted
):
    response = client_for(police_member, "en").get(reverse("commission:minutes", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert _code(submitted) in text
    assert "Speciālistu komisijas sēdes protokols" in text
    assert "kvorums ir" in text and "atzīts par cilvēku tirdzniecības upuri" in text
    assert "Ozola" not in text
    event = AuditEvent.objects.get(object_type="commission.meeting", action="export")
    assert event.details["codes"] == [_code(submitted)]
