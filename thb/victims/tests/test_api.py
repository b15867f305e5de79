from datetime import date

from thb.audit.models import AuditEvent
from thb.victims.tests.factories import make_case


def test_the_api_lists_only_the_callers_cases(client_for, owner, colleague):
    mine = make_case(owner)
    theirs = make_case(colleague)
    codes = [c["code"] for c in client_for(owner).get("/api/v1/cases/").json()]
    assert mine.person.code in codes and theirs.person.code not in codes


def test_the_api_detail_is_scoped_and_audited(client_for, owner, colleague, outsider):
    case = make_case(owner, intake_date=date(2020, 5, 5))
    response = client_for(owner).get(f"/api/v1/cases/{case.person.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["intake_date"] == "2020-05-05"
    assert "surname" not in body  # the API never returns identities
    assert AuditEvent.objects.filter(
        action="read", object_id=str(case.pk), details__purpose="api"
    ).exists()
    assert client_for(colleague).get(f"/api/v1/cases/{case.person.code}").status_code == 404
    assert client_for(outsider).get("/api/v1/cases/").status_code == 403


def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/cases/").status_code == 401
