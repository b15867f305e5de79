"""Listing cases reads the records listed (the API returns each case's profile): one
audit event per list request names the case codes returned, never identities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db


def _list_reads(user, purpose):
    return AuditEvent.objects.filter(
        action="read",
        object_type="victims.case",
        actor_username=user.username,
        details__purpose=purpose,
    )


@pytest.mark.parametrize(
    ("url", "purpose"), [("/api/v1/cases/", "api_list"), (reverse("victims:case_list"), "list")]
)
def test_a_case_list_is_audited_with_the_codes_it_returned(
    client_for, owner, colleague, url, purpose
):
    mine = make_case(owner)
    theirs = make_case(colleague)
    assert client_for(owner).get(url).status_code == 200
    event = _list_reads(owner, purpose).get()
    assert event.details["codes"] == [mine.person.code]
    assert theirs.person.code not in str(event.details)
