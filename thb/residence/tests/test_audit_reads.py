"""Every read of a residence track (page and API) is audited against the track itself,
so the audit log answers "who read this victim's residence steps"."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.residence import services

pytestmark = pytest.mark.django_db


def _track_reads(user):
    return AuditEvent.objects.filter(
        action="read", object_type="residence.residencetrack", actor=user
    )


@pytest.mark.parametrize(
    "url",
    [
        lambda code: reverse("residence:track", args=[code]),
        lambda code: f"/api/v1/residence/{code}",
    ],
)
def test_reading_a_track_is_audited_against_the_track(case, owner, director, client_for, url):
    services.information_record(actor=owner, case=case, given_on=date(2020, 10, 2))
    for user in (owner, director):
        assert client_for(user).get(url(case.person.code)).status_code == 200
        event = _track_reads(user).get()
        assert event.object_id == str(case.residence_track.pk)
        assert event.details["code"] == case.person.code


def test_a_refused_reader_leaves_no_track_read(case, owner, colleague, outsider, client_for):
    services.information_record(actor=owner, case=case, given_on=date(2020, 10, 2))
    for user in (colleague, outsider):
        assert client_for(user).get(
            reverse("residence:track", args=[case.person.code])
        ).status_code in (403, 404)
        assert not _track_reads(user).exists()


def test_the_deadlines_list_audits_the_codes_it_shows(make_case, owner, director, client_for):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    case = make_case(code="TJ0019", decided_on=today - timedelta(days=40))
    services.application_record(actor=owner, case=case, submitted_on=today - timedelta(days=39))
    services.reflection_decision_record(
        actor=director, case=case, decided_on=today - timedelta(days=28), granted=True
    )
    client = client_for(director)
    for url in (reverse("residence:deadlines"), "/api/v1/residence/deadlines"):
        before = AuditEvent.objects.filter(actor=director, action="read").count()
        response = client.get(url)
        assert case.person.code in response.content.decode()
        reads = AuditEvent.objects.filter(actor=director, action="read").order_by("id")
        assert reads.count() == before + 1
        assert reads.last().details == {  # type: ignore[union-attr]
            "purpose": "residence_deadlines",
            "codes": [case.person.code],
        }
