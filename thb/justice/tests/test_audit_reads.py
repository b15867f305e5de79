"""A proceeding's page and API show the victim case codes of its injured parties: each
such read of a victim's link to the proceeding is audited against the injured party,
with the case code, so "who saw this victim" is answered by the audit log. The
coordinator, who sees counts only, reads no injured party."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.justice.services import InjuredPartyData, injured_party_add
from thb.victims.models import Case, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(investigator, proceeding, provider):
    person = Person.objects.create(code="QWER2345", sex="male", citizenship="UZ")
    case = Case.objects.create(
        person=person,
        institution=provider,
        status="recognised",
        intake_date=date(2020, 1, 10),
        referral_channel="self",
        proceeding_institution=proceeding.institution,
    )
    return injured_party_add(
        actor=investigator,
        proceeding=proceeding,
        data=InjuredPartyData(recognised_on=date(2020, 3, 1), case=case, sex="male"),
    )


def _reads(user):
    return AuditEvent.objects.filter(
        action="read", object_type="justice.injuredparty", actor_username=user.username
    )


@pytest.mark.parametrize(
    "url",
    [
        lambda pk: reverse("justice:proceeding_detail", args=[pk]),
        lambda pk: f"/api/v1/justice/proceedings/{pk}",
    ],
)
def test_showing_an_injured_partys_case_code_is_audited(
    client_for, investigator, coordinator, proceeding, party, url
):
    response = client_for(investigator).get(url(proceeding.pk))
    assert response.status_code == 200
    assert "QWER2345" in response.content.decode()
    event = _reads(investigator).get()
    assert event.details["parties"] == [party.pk]
    assert event.details["codes"] == ["QWER2345"]
    assert event.details["proceeding"] == proceeding.pk

    response = client_for(coordinator).get(url(proceeding.pk))
    assert response.status_code == 200
    assert "QWER2345" not in response.content.decode()
    assert not _reads(coordinator).exists()
