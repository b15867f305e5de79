"""One audit event per import, naming the file's SHA-256, the type, the counts and the
ids created, written in the import's own transaction; no event per row. Reads of the
imported records are audited as usual."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.urls import reverse

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.activities.models import Helpline, HelplineContact
from thb.audit.models import Action, AuditEvent
from thb.audit.services import audit_chain_report
from thb.interop.importer import import_file
from thb.interop.registry import get_import_type
from thb.victims.models import Case
from thb.victims.policy import identity_for

CASES = (
    "external_id,intake_date,referral_channel,sex,given_names,historical,decision_kind,"
    "decision_date,decision_outcome,forms\n"
    "A1,2020-03-01,state_police,male,Ali,true,commission,2020-04-01,recognised,labour:construction\n"
    "A2,2020-03-02,self,female,Anna,true,,,,\n"
    "A3,2020-03-03,self,female,,false,,,,\n"
)
CONTACTS = (
    "helpline,received_at,channel,thb_related,external_id\n"
    "line-1,2020-03-15 14:30,call,yes,c-1\n"
    "line-1,2020-03-16 09:00,chat,no,c-2\n"
)


def _import(user: User, type_name: str, text: str, dry_run: bool = False):
    return import_file(
        actor=user,
        import_type=get_import_type(type_name),
        file_name="file.csv",
        data=text.encode(),
        dry_run=dry_run,
    )


def test_a_case_import_writes_one_event_with_hash_counts_and_ids(owner: User) -> None:
    before = AuditEvent.objects.count()
    result = _import(owner, "victim_cases", CASES)
    assert result.ok, result.errors
    events = list(AuditEvent.objects.filter(seq__gt=before))
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.object_type, event.object_id) == (
        Action.CREATE,
        "interop.import",
        "victim_cases",
    )
    details = event.details
    assert details["sha256"] == hashlib.sha256(CASES.encode()).hexdigest()
    assert (details["type"], details["rows"], details["created"], details["existing"]) == (
        "victim_cases",
        3,
        3,
        0,
    )
    assert details["outcome"] == "imported"
    assert details["records"] == "victims.case"
    assert (details["historical"], details["decisions"]) == (2, 1)
    ids = sorted(Case.objects.values_list("pk", flat=True))
    assert details["created_ids"] == [[ids[0], ids[-1]]]
    assert event.actor == owner
    # No identity reaches the audit log.
    assert "Ali" not in str(details) and "Anna" not in str(details)
    assert audit_chain_report().ok


def test_a_reimport_and_a_dry_run_and_a_refused_file_are_one_event_each(owner: User) -> None:
    _import(owner, "victim_cases", CASES)
    before = AuditEvent.objects.count()
    _import(owner, "victim_cases", CASES)
    _import(owner, "victim_cases", CASES.replace("A1", "B1"), dry_run=True)
    _import(owner, "victim_cases", CASES.replace("state_police", "nobody"))
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    found = [(e.details["outcome"], e.details["created"], e.details["existing"]) for e in events]
    assert found == [
        ("imported", 0, 3),
        ("checked", 1, 2),
        ("rejected", 0, 0),
    ]
    assert events[0].details["created_ids"] == []
    assert "created_ids" not in events[1].details
    assert Case.objects.count() == 3


def test_a_helpline_contact_import_writes_one_event(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    operator = make_institution("line-owner", InstitutionKind.HELPLINE)
    reporter = make_user("line-reporter", Role.REPORTER, operator)
    Helpline.objects.create(
        institution=operator, code="line-1", name="Line", number="116006", channels=[]
    )
    before = AuditEvent.objects.count()
    result = _import(reporter, "helpline_contacts", CONTACTS)
    assert result.ok, result.errors
    events = list(AuditEvent.objects.filter(seq__gt=before))
    assert [(e.object_type, e.details["created"]) for e in events] == [("interop.import", 2)]
    ids = sorted(HelplineContact.objects.values_list("pk", flat=True))
    assert events[0].details["created_ids"] == [[ids[0], ids[1]]]
    assert events[0].details["records"] == "activities.helplinecontact"


def test_reading_an_imported_case_is_audited_as_usual(
    owner: User, client_for: Callable[..., Client]
) -> None:
    _import(owner, "victim_cases", CASES)
    case = Case.objects.get(external_id="A1")
    before = AuditEvent.objects.count()
    response = client_for(owner).get(reverse("victims:case_detail", args=[case.person.code]))
    assert response.status_code == 200
    reads = AuditEvent.objects.filter(seq__gt=before, action=Action.READ)
    assert {e.object_type for e in reads} >= {"victims.case", "victims.personidentity"}


def test_imported_identities_are_encrypted_at_rest(owner: User) -> None:
    _import(owner, "victim_cases", CASES)
    case = Case.objects.get(external_id="A1")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names FROM victims_personidentity WHERE person_id = %s",
            [case.person_id],
        )
        (stored,) = cursor.fetchone()
    assert stored and "Ali" not in stored
    identity = identity_for(owner, case)
    assert identity is not None and identity.given_names == "Ali"
