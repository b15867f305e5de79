"""The submission's life: draft, submitted, returned, accepted (locked), reopened."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thb.audit.models import AuditEvent
from thb.interop import services
from thb.interop.models import SubmissionStatus
from thb.interop.selectors import is_late, submission_is_locked, submission_overview


@pytest.fixture
def submitted(reporter):
    submission = services.submission_start(actor=reporter, year=2020)
    services.submission_save_texts(
        actor=reporter, submission=submission, texts={"detection": {"lv": "Teksts"}}
    )
    return services.submission_submit(actor=reporter, submission=submission)


def test_it_refuses_to_submit_without_any_latvian_text(reporter):
    submission = services.submission_start(actor=reporter, year=2020)
    with pytest.raises(ValidationError) as info:
        services.submission_submit(actor=reporter, submission=submission)
    assert "sections" in info.value.message_dict


def test_it_refuses_an_unknown_section(reporter):
    submission = services.submission_start(actor=reporter, year=2020)
    with pytest.raises(ValidationError) as info:
        services.submission_save_texts(
            actor=reporter, submission=submission, texts={"poetry": {"lv": "x"}}
        )
    assert "poetry" in info.value.message_dict


def test_a_return_needs_a_comment_and_makes_it_editable(submitted, coordinator):
    with pytest.raises(ValidationError):
        services.submission_return(actor=coordinator, submission=submitted, comment=" ")
    services.submission_return(actor=coordinator, submission=submitted, comment="Add figures")
    assert submitted.status == SubmissionStatus.RETURNED and submitted.editable
    assert submitted.review_comment == "Add figures"


def test_acceptance_locks_the_institutions_year(submitted, coordinator, reporter):
    assert not submission_is_locked(reporter.institution, 2020)
    services.submission_accept(actor=coordinator, submission=submitted)
    assert submission_is_locked(reporter.institution, 2020)
    assert submission_is_locked(reporter.institution_id, 2020)
    assert not submission_is_locked(reporter.institution, 2021)
    with pytest.raises(ValidationError):
        services.submission_save_texts(
            actor=reporter, submission=submitted, texts={"detection": {"lv": "Cits"}}
        )


def test_an_accepted_year_refuses_a_bulk_of_records_and_saves_none(
    submitted, coordinator, reporter
):
    from thb.activities.models import DetectionRecord
    from thb.activities.record_types import TYPES
    from thb.activities.services import record_bulk_create

    services.submission_accept(actor=coordinator, submission=submitted)
    rows = [
        {"kind": "complaint", "date": datetime.date(2021, 3, 1), "thb_related": True},
        {"kind": "complaint", "date": datetime.date(2020, 3, 1), "thb_related": True},
    ]
    with pytest.raises(PermissionDenied, match="2020"):
        record_bulk_create(actor=reporter, record_type=TYPES["detection"], rows=rows)
    assert not DetectionRecord.objects.exists()
    # Another year is open.
    assert record_bulk_create(actor=reporter, record_type=TYPES["detection"], rows=rows[:1]) == 1


def test_reopening_is_explicit_and_audited(submitted, coordinator, reporter):
    services.submission_accept(actor=coordinator, submission=submitted)
    with pytest.raises(ValidationError):
        services.submission_reopen(actor=coordinator, submission=submitted, reason="")
    services.submission_reopen(actor=coordinator, submission=submitted, reason="Wrong total")
    assert not submission_is_locked(reporter.institution, 2020)
    event = AuditEvent.objects.filter(object_type="interop.submission").last()
    assert event is not None and event.details["transition"] == "reopened"


def test_only_the_coordinator_reviews(submitted, reporter):
    with pytest.raises(PermissionDenied):
        services.submission_accept(actor=reporter, submission=submitted)


def test_a_reporter_of_another_institution_cannot_change_it(submitted, other_reporter):
    with pytest.raises(PermissionDenied):
        services.submission_submit(actor=other_reporter, submission=submitted)


def test_a_caseworker_cannot_start_a_submission(owner):
    with pytest.raises(PermissionDenied):
        services.submission_start(actor=owner, year=2020)


def test_lateness_follows_the_profiles_due_date(submitted):
    # 2020 is due on 1 March 2021 (thb/profiles/lv/reporting.yaml).
    submitted.first_submitted_at = datetime.datetime(2021, 3, 2, 12, tzinfo=datetime.UTC)
    assert is_late(submitted, 2020)
    submitted.first_submitted_at = datetime.datetime(2021, 2, 1, 12, tzinfo=datetime.UTC)
    assert not is_late(submitted, 2020)
    assert is_late(None, 2020, today=datetime.date(2021, 3, 2))
    assert not is_late(None, 2020, today=datetime.date(2021, 3, 1))


def test_the_overview_lists_reporting_institutions_and_their_records(
    submitted, other_reporter, coordinator
):
    rows = {row.institution.code: row for row in submission_overview(actor=coordinator, year=2020)}
    assert rows["vrs"].status == SubmissionStatus.SUBMITTED
    assert rows["vdi"].submission is None
    assert rows["vdi"].late  # 2020 is long past due
