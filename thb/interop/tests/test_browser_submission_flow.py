"""End to end in Chromium: a border-guard reporter imports activity records and submits
the year's narrative; the coordinator returns it; the reporter fixes and resubmits; the
coordinator accepts; the reporter can no longer edit it."""

from __future__ import annotations

import pytest

from thb.accounts.models import InstitutionKind, Role
from thb.conftest import login
from thb.interop.models import Submission, SubmissionStatus
from thb.interop.registry import get_import_type, registered
from thb.interop.templates_files import example_csv

# The activities app's detection records (thb/activities/imports.py).
ACTIVITY_TYPE = "detection_records"


@pytest.mark.browser
def test_the_yearly_submission_flow(transactional_db, page, make_user, make_institution):
    assert ACTIVITY_TYPE in registered(), "the activities app registers detection records"
    border_guard = make_institution("vrs", InstitutionKind.BORDER_GUARD, "Valsts robežsardze")
    ministry = make_institution("iem", InstitutionKind.MINISTRY, "Iekšlietu ministrija")
    make_user("bg-reporter", Role.REPORTER, border_guard)
    make_user("coordinator", Role.COORDINATOR, ministry)
    import_type = get_import_type(ACTIVITY_TYPE)

    # The reporter uploads an activity file.
    login(page, "bg-reporter")
    page.goto("/import/")
    page.select_option("select[name=import_type]", ACTIVITY_TYPE)
    page.set_input_files(
        "input[name=file]",
        {
            "name": "detection.csv",
            "mimeType": "text/csv",
            "buffer": example_csv(import_type).encode(),
        },
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("#import-result")
    assert page.locator("#import-result .flag").count() == 0, page.inner_text("#import-result")

    # ... and submits the year's narrative.
    page.goto("/import/submission/2020/")
    page.fill("textarea[name=detection_lv]", "Veiktas 12 pārbaudes.")
    page.click("button[value=submit]")
    page.wait_for_selector("#submission-status .status-submitted")
    submission = Submission.objects.get(institution=border_guard, year=2020)

    # The coordinator returns it with a comment.
    page.context.clear_cookies()
    login(page, "coordinator")
    page.goto("/import/submissions/?year=2020")
    page.click(f"a[href='/import/submissions/{submission.pk}/']")
    page.fill("textarea[name=comment]", "Norādiet pārbaužu vietas.")
    page.click("button[value=return]")
    page.wait_for_selector("#submission-status .status-returned")

    # The reporter sees the comment, fixes and resubmits.
    page.context.clear_cookies()
    login(page, "bg-reporter")
    page.goto("/import/submission/2020/")
    assert "Norādiet pārbaužu vietas." in page.inner_text("#review-comment")
    page.fill("textarea[name=detection_lv]", "Veiktas 12 pārbaudes darba vietās.")
    page.click("button[value=submit]")
    page.wait_for_selector("#submission-status .status-submitted")

    # The coordinator accepts.
    page.context.clear_cookies()
    login(page, "coordinator")
    page.goto(f"/import/submissions/{submission.pk}/")
    page.click("button[value=accept]")
    page.wait_for_selector("#submission-status .status-accepted")

    # The reporter can no longer edit it.
    page.context.clear_cookies()
    login(page, "bg-reporter")
    page.goto("/import/submission/2020/")
    page.wait_for_selector("#locked")
    assert page.locator("textarea[name=detection_lv]").count() == 0
    assert "darba vietās" in page.inner_text("main")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
