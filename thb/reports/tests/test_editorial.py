"""The editorial workflow: drafts from the accepted submissions, the coordinator's
texts win over them, freezing a version (figures, texts, content hash) and a later
version's revision note."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thb.accounts.models import InstitutionKind, Role
from thb.audit.models import AuditEvent
from thb.interop.services import (
    submission_accept,
    submission_save_texts,
    submission_start,
    submission_submit,
)
from thb.reports import editorial
from thb.reports.builder import build_document
from thb.reports.document import Document, Narrative
from thb.reports.models import ChapterText, ReportVersion
from thb.reports.services import chapter_text_save, report_version_freeze
from thb.victims.models import DecisionKind
from thb.victims.services import decision_record
from thb.victims.tests.factories import make_case


def _recognise(owner, *, sex="female", when=date(2020, 6, 1)):
    case = make_case(owner, sex=sex)
    decision_record(
        actor=owner,
        case=case,
        kind=DecisionKind.COMMISSION,
        decided_on=when,
        recognised=True,
        criteria_met=["purpose_exploitation"],
        members="Chair",
    )
    return case


@pytest.fixture
def accepted_submission(make_user, make_institution, coordinator):
    border_guard = make_institution("vrs", InstitutionKind.BORDER_GUARD, "Valsts robežsardze")
    reporter = make_user("bg", Role.REPORTER, border_guard)
    submission = submission_start(actor=reporter, year=2020)
    submission_save_texts(
        actor=reporter,
        submission=submission,
        texts={
            "identification": {
                "lv": "Robežsardze identificēja 3 upurus.",
                "en": "The border guard found 3.",
            }
        },
    )
    submission_submit(actor=reporter, submission=submission)
    submission_accept(actor=coordinator, submission=submission)
    return submission


def _meta(document: Document, key: str) -> Any:
    return document.metadata[key]


def _narrative(document, chapter="victims", slot="text"):
    return next(
        block for block in document.chapter(chapter).blocks if getattr(block, "slot", None) == slot
    )


def test_the_draft_comes_from_the_accepted_submissions(accepted_submission):
    document = build_document(year=2020, language="lv")
    narrative = _narrative(document)
    assert narrative.paragraphs == ["Robežsardze identificēja 3 upurus."]
    assert narrative.source == "draft"
    assert narrative.contributors


def test_the_coordinators_text_wins_over_the_draft_in_its_language(
    accepted_submission, coordinator
):
    chapter_text_save(
        actor=coordinator,
        year=2020,
        chapter="victims",
        slot="text",
        texts={"lv": "Pirmā rindkopa.\n\nOtrā rindkopa.", "en": ""},
    )
    latvian = _narrative(build_document(year=2020, language="lv"))
    assert latvian.paragraphs == ["Pirmā rindkopa.", "Otrā rindkopa."]
    assert latvian.source == "edited"
    # No English text yet: the English draft stays.
    english = _narrative(build_document(year=2020, language="en"))
    assert english.paragraphs == ["The border guard found 3."]
    assert english.source == "draft"


def test_saving_a_text_is_audited_and_only_the_coordinator_may(coordinator, make_user, ministry):
    text = chapter_text_save(
        actor=coordinator, year=2020, chapter="victims", slot="text", texts={"lv": "A", "en": "B"}
    )
    event = AuditEvent.objects.filter(object_type="reports.chaptertext").last()
    assert event is not None and event.details["chapter"] == "victims"
    assert event.details["languages"] == ["en", "lv"]
    admin = make_user("admin", Role.ADMINISTRATOR, ministry)
    with pytest.raises(PermissionDenied):
        chapter_text_save(
            actor=admin, year=2020, chapter="victims", slot="text", texts={"lv": "X", "en": "Y"}
        )
    text.refresh_from_db()
    assert text.texts == {"lv": "A", "en": "B"}


def test_an_unknown_slot_is_refused_naming_the_field(coordinator):
    with pytest.raises(ValidationError) as caught:
        chapter_text_save(
            actor=coordinator, year=2020, chapter="weather", slot="text", texts={"lv": "A"}
        )
    assert "chapter" in caught.value.message_dict
    assert not ChapterText.objects.exists()


def test_freezing_keeps_figures_texts_and_their_hash(owner, coordinator, accepted_submission):
    _recognise(owner)
    version = report_version_freeze(actor=coordinator, year=2020)
    assert version.number == 1
    assert version.figures["2020"]["victims.identified"] == 1
    assert version.texts["lv"]["victims.text"]["paragraphs"] == [
        "Robežsardze identificēja 3 upurus."
    ]
    assert version.content_hash == editorial.content_hash(version.figures, version.texts)
    assert len(version.content_hash) == 64
    assert version.revisions == []
    event = AuditEvent.objects.filter(object_type="reports.reportversion").last()
    assert event is not None and event.details["content_hash"] == version.content_hash
    # Any change to a frozen figure changes the hash.
    altered = {"2020": {**version.figures["2020"], "victims.identified": 2}}
    assert editorial.content_hash(altered, version.texts) != version.content_hash


def test_a_later_version_lists_the_figures_changed_since(owner, coordinator):
    _recognise(owner)
    first = report_version_freeze(actor=coordinator, year=2020)
    _recognise(owner, sex="male")
    # The current edition already says what changed since version 1.
    current = editorial.report_document(year=2020, language="en")
    changed = {entry["id"]: entry for entry in _meta(current, "revisions")}
    assert changed["victims.identified"]["old"] == 1
    assert changed["victims.identified"]["new"] == 2
    assert changed["victims.identified.men"]["new"] == 1
    assert "victims.identified.women" not in changed
    assert changed["victims.identified"]["definition"]
    note = current.chapters[0].blocks[0]
    assert isinstance(note, Narrative)
    assert note.slot == editorial.REVISION_SLOT
    assert any("victims.identified" in line and "1 → 2" in line for line in note.paragraphs)

    second = report_version_freeze(actor=coordinator, year=2020)
    assert second.number == 2
    assert {"id": "victims.identified", "old": 1, "new": 2} in second.revisions
    assert second.content_hash != first.content_hash
    rebuilt = editorial.report_document(year=2020, language="lv", version=second)
    assert _meta(rebuilt, "version")["number"] == 2
    assert _meta(rebuilt, "revised_since")["version"] == 1
    assert [e["id"] for e in _meta(rebuilt, "revisions")] == [c["id"] for c in second.revisions]


def test_a_frozen_version_is_rebuilt_from_its_own_figures(owner, coordinator):
    _recognise(owner)
    version = report_version_freeze(actor=coordinator, year=2020)
    _recognise(owner)
    _recognise(owner)
    frozen = editorial.report_document(year=2020, language="lv", version=version)
    assert frozen.figures["victims.identified"] == 1
    assert _meta(frozen, "version")["content_hash"] == version.content_hash
    assert editorial.report_document(year=2020, language="lv").figures["victims.identified"] == 3


def test_the_public_revision_note_names_changed_counts_of_persons_without_values(
    owner, coordinator
):
    for _index in range(5):
        _recognise(owner)
    report_version_freeze(actor=coordinator, year=2020)
    _recognise(owner, sex="male")
    public = editorial.report_document(year=2020, language="en", edition="public")
    entry = next(e for e in _meta(public, "revisions") if e["id"] == "victims.identified.men")
    assert entry["old"] is None and entry["new"] is None


def test_only_the_coordinator_marks_the_report_final(owner):
    with pytest.raises(PermissionDenied):
        report_version_freeze(actor=owner, year=2020)
    assert not ReportVersion.objects.exists()
