"""The audit log reads in sentences, not Python dictionaries and model labels
(issue 10, part 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from thb.accounts.models import Institution
from thb.audit.describe import describe
from thb.audit.models import AuditEvent


def _event(**fields: Any) -> AuditEvent:
    return AuditEvent(seq=1, action=fields.pop("action", "update"), **fields)


@pytest.mark.django_db
def test_a_returned_submission_reads_as_a_sentence_naming_the_institution(
    make_institution: Any,
) -> None:
    border_guard = make_institution("vrs", name="Valsts robežsardze")
    Institution.objects.filter(pk=border_guard.pk).update(
        names={"lv": "Valsts robežsardze", "en": "State Border Guard"}
    )
    event = _event(
        object_type="interop.submission",
        object_id="8",
        details={"transition": "returned", "institution": "vrs", "year": 2020},
    )
    with translation.override("en"):
        text = describe(event)
    assert text.sentence == "Submission returned to State Border Guard with a comment"
    assert text.object_name == "Submission"
    assert "{'" not in text.details and '"transition": "returned"' in text.details
    with translation.override("lv"):
        text = describe(event)
    assert "Valsts robežsardze" in text.sentence and "returned" not in text.sentence


def test_an_event_of_a_kind_nobody_described_names_the_object_in_words() -> None:
    event = _event(action="create", object_type="victims.case", details={"code": "CTU-1"})
    with translation.override("en"):
        text = describe(event)
    assert text.sentence == "Recorded: Case" or text.sentence.endswith("recorded")
    assert "victims.case" not in text.sentence
    assert text.reference == "CTU-1"


@pytest.mark.django_db
def test_the_audit_page_shows_no_python_dictionary(client_for: Any, auditor: Any) -> None:
    from thb.audit.services import audit_record

    audit_record(
        actor=auditor,
        action="update",
        object_type="interop.submission",
        object_id="8",
        details={"transition": "accepted", "institution": "iem", "year": 2020},
    )
    page = client_for(auditor, language="en").get("/audit/").content.decode()
    assert "{&#x27;" not in page and "{'" not in page
    assert "interop.submission" not in page
    assert "Submission of" in page and "accepted" in page
