"""Residence pages: the owner, the process director, a colleague at another
institution, an outsider and the migration office."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from thb.audit.models import AuditEvent
from thb.core import formats
from thb.residence import services
from thb.residence.models import Deadline, DeadlineKind, PermitRequest, ResidenceTrack

pytestmark = pytest.mark.django_db


def _url(name, case):
    return reverse(f"residence:{name}", args=[case.person.code])


def test_the_owner_and_the_process_director_see_the_timeline(case, owner, director, client_for):
    services.information_record(actor=owner, case=case, given_on=date(2020, 10, 2))
    for user in (owner, director):
        response = client_for(user, language="en").get(_url("track", case))
        assert response.status_code == 200
        assert b"05/10/2020" in response.content  # the application deadline, in English form
    assert AuditEvent.objects.filter(action="read", details__purpose="residence").exists()


def test_a_colleague_at_another_institution_gets_404(case, colleague, other_director, client_for):
    for user in (colleague, other_director):
        assert client_for(user).get(_url("track", case)).status_code == 404
        assert client_for(user).get(_url("application", case)).status_code in (403, 404)


def test_an_outsider_gets_403(case, outsider, client_for):
    assert client_for(outsider).get(_url("track", case)).status_code == 403
    assert client_for(outsider).get(_url("decision", case)).status_code == 403


def test_a_caseworker_cannot_open_the_process_directors_forms(case, owner, client_for):
    assert client_for(owner).get(_url("decision", case)).status_code == 403


def test_the_late_application_form_names_the_rule(case, owner, client_for):
    response = client_for(owner, language="en").post(
        _url("application", case), {"submitted_on": "2020-10-07"}
    )
    assert response.status_code == 400
    assert "Section 4(1)" in response.content.decode()


def test_the_process_director_records_the_decision_and_sees_the_deadline(
    make_case, owner, director, client_for
):
    today = timezone.localdate()
    case = make_case(code="TJ0009", decided_on=today - timedelta(days=40))
    services.application_record(actor=owner, case=case, submitted_on=today - timedelta(days=39))
    response = client_for(director).post(
        _url("decision", case),
        {"decided_on": (today - timedelta(days=28)).isoformat(), "granted": "yes"},
    )
    assert response.status_code == 302
    deadline = Deadline.objects.get(kind=DeadlineKind.EVALUATION)
    page = client_for(director).get(reverse("residence:deadlines")).content.decode()
    assert case.person.code in page
    assert formats.day(deadline.due_on, "lv") in page  # as Latvian writes it
    # The caseworker's deadlines page does not list the process director's deadline.
    assert (
        case.person.code
        not in client_for(owner).get(reverse("residence:deadlines")).content.decode()
    )


def test_the_migration_office_sees_and_answers_requests(
    case, owner, director, pmlp, migration_officer, colleague, client_for
):
    services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 3))
    services.reflection_decision_record(
        actor=director, case=case, decided_on=date(2020, 10, 5), granted=True
    )
    services.evaluation_record(
        actor=director,
        case=case,
        evaluated_on=date(2020, 11, 2),
        further_stay_useful=True,
        keeps_contact_with_suspects=False,
    )
    request = services.permit_request_record(
        actor=director, case=case, requested_on=date(2020, 11, 3), months=6, migration_office=pmlp
    )
    client = client_for(migration_officer, language="en")
    assert case.person.code in client.get(reverse("residence:deadlines")).content.decode()
    # PMLP does not open the timeline itself.
    assert client.get(_url("track", case)).status_code == 403
    url = reverse("residence:permit", args=[request.pk])
    short = client.post(
        url,
        {
            "holder": "victim",
            "issued_on": "2020-11-10",
            "valid_from": "2020-11-10",
            "valid_to": "2021-03-01",
        },
    )
    assert short.status_code == 400
    assert "Section 8(3)" in short.content.decode()
    ok = client.post(
        url,
        {
            "holder": "victim",
            "issued_on": "2020-11-10",
            "valid_from": "2020-11-10",
            "valid_to": "2021-05-09",
        },
    )
    assert ok.status_code == 302
    assert request.permits.count() == 1
    assert client_for(colleague).get(url).status_code == 403


def test_notify_mails_each_responsible_user(make_case, owner, director, client_for):
    owner.email, director.email = "owner@example.org", "director@example.org"
    owner.save(update_fields=["email"])
    director.save(update_fields=["email"])
    today = timezone.localdate()
    make_case(code="UZ0100", citizenship="UZ", decided_on=today - timedelta(days=1))
    call_command("deadlines", "notify")
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]
    assert "UZ0100" in mail.outbox[0].body
    assert "4" in mail.outbox[0].body  # the section of the application deadline
    # The mail gave the owner a case code: audited with the owner as the reader.
    event = AuditEvent.objects.get(actor=owner, action="export")
    assert event.details == {"purpose": "deadline_mail", "codes": ["UZ0100"]}


def test_the_timeline_speaks_latvian_by_default(case, owner, client_for):
    services.information_record(actor=owner, case=case, given_on=date(2020, 10, 2))
    page = client_for(owner).get(_url("track", case)).content.decode()
    assert "Iesniegums par nogaidīšanas periodu" in page
    assert "4. panta pirmā daļa" in page


def test_the_case_page_links_to_the_residence_track_of_a_non_eu_victim(make_case, owner):
    from thb.residence.links import case_links

    case = make_case(code="TJ0200")
    assert case_links(actor=owner, case=case)[0]["url"] == _url("track", case)
    assert case_links(actor=owner, case=make_case(code="LT0200", citizenship="LT")) == []


def test_a_step_form_shows_field_and_rule_errors_in_one_round(case, owner, director, client_for):
    """One field error (no date) and one independent service rule (the track has no
    evaluation yet, and 3 months are below the law's minimum) come back together."""
    response = client_for(director, language="en").post(
        _url("permit_request", case),
        {"kind": "initial", "months": "3", "accompanying_minor_children": "0"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page  # requested_on, the form's own check
    assert "is requested for at least" in page  # months, the service's rule
    assert PermitRequest.objects.count() == 0


def test_the_application_form_shows_a_too_long_reason_and_a_future_date_at_once(
    case, owner, client_for
):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for(owner, language="en").post(
        _url("application", case), {"submitted_on": future, "late_reason": "x" * 20000}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter at most" in page  # late_reason, the field's own check
    assert "future" in page  # submitted_on, the service's rule
    assert not ResidenceTrack.objects.filter(case=case, application_on__isnull=False).exists()


def test_the_permit_form_shows_a_missing_holder_and_a_short_permit_at_once(
    case, owner, director, pmlp, migration_officer, client_for
):
    services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 3))
    services.reflection_decision_record(
        actor=director, case=case, decided_on=date(2020, 10, 5), granted=True
    )
    services.evaluation_record(
        actor=director,
        case=case,
        evaluated_on=date(2020, 11, 2),
        further_stay_useful=True,
        keeps_contact_with_suspects=False,
    )
    request = services.permit_request_record(
        actor=director, case=case, requested_on=date(2020, 11, 3), months=6, migration_office=pmlp
    )
    response = client_for(migration_officer, language="en").post(
        reverse("residence:permit", args=[request.pk]),
        {"issued_on": "2020-11-10", "valid_from": "2020-11-10", "valid_to": "2021-03-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page  # holder
    assert "Section 8(3)" in page  # the permit is shorter than the law's minimum
    assert request.permits.count() == 0
