"""Referral pages: each side sees its own institution's referrals and nothing else;
the provider acknowledges, declines with a reason and accepts through a pre-filled
intake; overdue acknowledgements are on the provider's deadline list; the referring
institution sees the status but never the case."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from thb.accounts.models import Role
from thb.audit.models import AuditEvent
from thb.referrals.models import Referral, ReferralStatus
from thb.victims.models import Case

pytestmark = pytest.mark.django_db


def _url(name, referral):
    return reverse(f"referrals:{name}", args=[referral.reference])


def test_the_officer_refers_through_the_page(client_for, officer, provider):
    client = client_for(officer, "en")
    page = client.get(reverse("referrals:create"))
    assert page.status_code == 200 and "Refer a presumed victim" in page.content.decode()
    response = client.post(
        reverse("referrals:create"),
        {
            "provider": provider.pk,
            "urgency": "urgent",
            "consent": "given",
            "consent_on": "2026-01-05",
            "given_names": "Olga",
            "surname": "Petrova",
            "age": "34",
            "sex": "female",
            "citizenship": "UA",
            "suspected_forms": ["labour"],
            "language": "uk",
            "interpreter_needed": "on",
            "contact_arrangement": "via_officer",
            "screening-list_key": "adult_labour",
            "screening-adult_labour-dim_ex": ["ex.excessive_working_days_or_hours"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    referral = Referral.objects.get()
    assert response["Location"] == _url("detail", referral)
    assert referral.interpreter_needed and referral.language == "uk"
    assert referral.screening is not None
    assert referral.screening.indicators == ["ex.excessive_working_days_or_hours"]


def test_refusal_of_an_adult_is_sent_back_to_the_anonymous_notification(
    client_for, officer, provider
):
    response = client_for(officer, "en").post(
        reverse("referrals:create"),
        {
            "provider": provider.pk,
            "urgency": "routine",
            "consent": "refused",
            "consent_on": "2026-01-05",
            "surname": "Petrova",
            "age": "34",
            "sex": "female",
            "language": "uk",
            "contact_arrangement": "via_officer",
        },
    )
    assert response.status_code == 200
    assert "anonymous notification" in response.content.decode()
    assert not Referral.objects.exists()


def test_each_side_sees_only_its_institutions_referrals(
    send, client_for, owner, colleague, officer, outsider, coordinator
):
    referral = send()
    assert referral.reference in client_for(owner).get(reverse("referrals:list")).content.decode()
    assert referral.reference in client_for(officer).get(reverse("referrals:list")).content.decode()
    # Another provider and another referring institution: not in their list, 404 on it.
    for user in (colleague, outsider):
        client = client_for(user)
        assert referral.reference not in client.get(reverse("referrals:list")).content.decode()
        assert client.get(_url("detail", referral)).status_code == 404
    # Roles that never refer or receive: 403.
    assert client_for(coordinator).get(reverse("referrals:list")).status_code == 403
    assert client_for(coordinator).get(_url("detail", referral)).status_code == 403


def test_opening_a_referral_shows_the_identity_to_the_provider_and_audits_it(
    send, client_for, owner
):
    referral = send()
    page = client_for(owner).get(_url("detail", referral)).content.decode()
    assert "Bērziņa" in page
    reads = AuditEvent.objects.filter(actor=owner, action="read")
    assert reads.filter(object_type="referrals.referral").exists()
    assert reads.filter(object_type="referrals.referralidentity").exists()


def test_the_provider_acknowledges_from_the_referral_page(send, client_for, owner, officer):
    referral = send()
    assert (
        client_for(officer).post(_url("detail", referral), {"acknowledge": "1"}).status_code == 403
    )
    response = client_for(owner).post(_url("detail", referral), {"acknowledge": "1"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED and referral.acknowledged_by == owner


def test_decline_with_reason_is_seen_by_the_referring_institution(send, client_for, owner, officer):
    referral = send()
    client = client_for(owner, "en")
    refused = client.post(_url("decline", referral), {"reason": "other", "note": ""})
    assert refused.status_code == 200 and "Explain the reason." in refused.content.decode()
    client.post(_url("decline", referral), {"reason": "no_capacity", "note": "All beds taken."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    page = client_for(officer, "en").get(_url("detail", referral)).content.decode()
    assert "declined" in page and "no free place or specialist" in page
    assert "All beds taken." in page
    # Answered: no second answer.
    assert client.get(_url("accept", referral)).status_code == 403


def test_only_the_provider_answers(send, client_for, officer, colleague):
    referral = send()
    assert client_for(officer).get(_url("decline", referral)).status_code == 403
    assert client_for(officer).get(_url("accept", referral)).status_code == 403
    assert client_for(colleague).get(_url("accept", referral)).status_code == 404


def test_the_intake_is_filled_in_from_the_referral_and_creates_the_case(
    send, client_for, owner, officer
):
    referral = send()
    client = client_for(owner, "en")
    form = client.get(_url("accept", referral)).content.decode()
    assert 'value="Bērziņa"' in form and 'value="+371 29999999"' in form
    assert re.search(r'<option value="state_police" selected>', form)
    assert re.search(r'name="exploitation_forms" value="labour"[^>]*checked', form)
    response = client.post(
        _url("accept", referral),
        {
            "intake_date": referral.sent_on.isoformat(),
            "given_names": "Anna",
            "surname": "Bērziņa",
            "phone": "+371 29999999",
            "sex": "female",
            "citizenship": "LV",
            "age_at_identification": "30",
            "education": "unknown",
            "exploitation_forms": ["labour"],
            "recruitment_method": "unknown",
            # A tampered channel is ignored: it is derived from the referral.
            "referral_channel": "self",
        },
    )
    # Check your answers first: nothing is recorded before the confirm.
    review = response.content.decode()
    assert response.status_code == 200 and 'name="step" value="confirm"' in review
    assert "Bērziņa" in review and "Check the intake before recording it" in review
    assert not Case.objects.exists()
    referral.refresh_from_db()
    assert referral.status != ReferralStatus.ACCEPTED
    response = client.post(_url("accept", referral), {"step": "confirm"})
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert response["Location"] == reverse("victims:case_detail", args=[case.person.code])
    assert case.referral_channel == "state_police"
    assert case.referring_institution == officer.institution
    assert case.screening_notes == "Passport kept by the employer."
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.case == case
    # The referring institution sees "accepted" but never the case.
    officer_client = client_for(officer, "en")
    status_page = officer_client.get(_url("detail", referral)).content.decode()
    assert "accepted" in status_page and case.person.code not in status_page
    assert (
        officer_client.get(reverse("victims:case_detail", args=[case.person.code])).status_code
        == 404
    )


def test_an_overdue_acknowledgement_is_on_the_providers_deadline_list(
    send, client_for, owner, colleague, make_user, provider
):
    overdue = send(days_ago=10)
    fresh = send(days_ago=0, urgency="routine")
    page = client_for(owner, "en").get(reverse("residence:deadlines")).content.decode()
    overdue_part = page.split("Due by")[0]
    assert overdue.reference in overdue_part
    assert fresh.reference not in overdue_part and fresh.reference in page
    assert (
        overdue.reference
        not in client_for(colleague).get(reverse("residence:deadlines")).content.decode()
    )
    # Acknowledged: off the list.
    client_for(owner).post(_url("detail", overdue), {"acknowledge": "1"})
    assert (
        overdue.reference
        not in client_for(owner).get(reverse("residence:deadlines")).content.decode()
    )


def test_anonymous_notification_page(client_for, officer):
    client = client_for(officer, "en")
    page = client.get(reverse("referrals:notify")).content.decode()
    assert 'name="surname"' not in page and 'name="screening-notes"' not in page
    response = client.post(
        reverse("referrals:notify"),
        {
            "notified_on": "2026-01-05",
            "sex": "male",
            "age_group": "25_34",
            "citizenship": "UZ",
            "suspected_forms": ["labour"],
            "screening-list_key": "adult_labour",
            "screening-adult_labour-dim_ex": ["ex.low_or_no_salary"],
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("referrals:list")).content.decode()
    assert "not sufficient to presume trafficking" in listing


def test_the_navigation_shows_referrals_to_the_right_roles(client_for, officer, owner, coordinator):
    link = f'href="{reverse("referrals:list")}"'
    assert link in client_for(officer).get("/").content.decode()
    assert link in client_for(owner).get("/").content.decode()
    assert link not in client_for(coordinator).get("/").content.decode()


def test_the_api_lists_the_callers_referrals_without_identity(send, client_for, owner, colleague):
    referral = send()
    body = client_for(owner).get("/api/v1/referrals/").json()
    assert [r["reference"] for r in body] == [referral.reference]
    assert "Bērziņa" not in str(body)
    assert client_for(colleague).get("/api/v1/referrals/").json() == []
    assert client_for(colleague).get(f"/api/v1/referrals/{referral.reference}").status_code == 404


def test_a_reporter_of_a_non_referring_kind_cannot_refer(client_for, make_user, make_institution):
    from thb.accounts.models import InstitutionKind

    trainer = make_user(
        "trainer", Role.REPORTER, make_institution("koledza", InstitutionKind.TRAINING)
    )
    assert client_for(trainer).get(reverse("referrals:create")).status_code == 403


def test_the_deadline_mail_names_the_overdue_referral(send, owner, mailoutbox):
    from thb.residence.notify import deadlines_notify

    owner.email = "owner@example.org"
    owner.save(update_fields=["email"])
    overdue = send(days_ago=10)
    result = deadlines_notify(today=timezone.localdate())
    assert "owner" in result.users
    body = mailoutbox[0].body
    assert overdue.reference in body and "Bērziņa" not in body


ACCEPT_ANSWERS = {
    "given_names": "Anna",
    "surname": "Bērziņa",
    "sex": "female",
    "citizenship": "LV",
    "age_at_identification": "30",
    "education": "unknown",
    "exploitation_forms": ["labour"],
    "recruitment_method": "unknown",
}


def test_accepting_a_referral_can_change_its_answers_or_cancel(send, client_for, owner):
    """The review's "Change" returns to the form with the answers kept; cancel drops
    them and records nothing; invalid answers get no review page."""
    referral = send()
    client = client_for(owner, "en")
    url = _url("accept", referral)
    data = {**ACCEPT_ANSWERS, "intake_date": referral.sent_on.isoformat()}
    invalid = client.post(url, {**data, "intake_date": "2999-01-01"})
    assert invalid.status_code == 200 and b'name="step" value="confirm"' not in invalid.content
    review = client.post(url, {**data, "surname": "Kalniņa"}).content.decode()
    assert f'href="{url}?change#id_surname"' in review
    changed = client.get(url + "?change").content.decode()
    assert 'value="Kalniņa"' in changed
    cancelled = client.post(url, {"step": "cancel"})
    assert cancelled.status_code == 302 and cancelled["Location"] == _url("detail", referral)
    assert not Case.objects.exists()
    # The draft is gone: a confirm now goes back to the form.
    again = client.post(url, {"step": "confirm"})
    assert again.status_code == 302 and again["Location"] == url
    referral.refresh_from_db()
    assert referral.status != ReferralStatus.ACCEPTED and referral.case is None
