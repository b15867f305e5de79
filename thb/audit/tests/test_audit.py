import pytest
from django.test import Client
from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.audit.services import audit_record, audit_verify_chain
from thb.audit.tests.tampering import tampering
from thb.conftest import PASSWORD


def test_events_form_a_verifiable_chain(db, owner):
    first = audit_record(actor=owner, action="create", object_type="x", object_id="1")
    second = audit_record(actor=owner, action="read", object_type="x", object_id="1")
    assert second.previous_hash == first.hash
    assert audit_verify_chain() == []


def test_an_altered_event_breaks_the_chain(db, owner):
    audit_record(actor=owner, action="create", object_type="x", object_id="1")
    event = audit_record(actor=owner, action="read", object_type="x", object_id="1")
    audit_record(actor=owner, action="read", object_type="x", object_id="2")
    with tampering():
        AuditEvent.objects.filter(pk=event.pk).update(object_id="99")  # tampering in SQL
    assert event.seq in audit_verify_chain()


def test_events_cannot_be_changed_or_deleted_through_the_model(db, owner):
    event = audit_record(actor=owner, action="create")
    event.object_id = "2"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_logins_and_failed_logins_are_audited(db, owner):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "owner", "password": "wrong"})
    assert AuditEvent.objects.filter(action="login_failed", details__username="owner").exists()
    client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert AuditEvent.objects.filter(action="login", actor=owner).exists()


class TestAuditLogPage:
    def test_the_auditor_reads_and_verifies_it(self, client_for, auditor, owner):
        audit_record(actor=owner, action="create", object_type="victims.case", object_id="7")
        response = client_for(auditor).get(reverse("audit:event_list"), {"verify": "1"})
        assert response.status_code == 200
        assert response.context["broken"] == []
        page = response.content.decode()
        # The event in words (issue 10): the object by its name, never its model label.
        assert "Reģistrēts: Gadījums" in page
        assert "victims.case" not in page

    def test_caseworkers_and_the_coordinator_cannot_read_it(self, client_for, owner, coordinator):
        for user in (owner, coordinator):
            assert client_for(user).get(reverse("audit:event_list")).status_code == 403


def test_the_administrator_cannot_read_the_audit_log(client_for, make_user, ministry):
    from thb.accounts.models import Role

    admin = make_user("admin", Role.ADMINISTRATOR, ministry)
    assert client_for(admin).get(reverse("audit:event_list")).status_code == 403
