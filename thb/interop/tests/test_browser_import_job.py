"""End to end in Chromium: an upload's page follows the import job (its script asks the
status endpoint and moves the progress bar, then shows the result), and the user finds
the result again under My imports."""

from __future__ import annotations

import pytest

from thb.accounts.models import Role
from thb.conftest import login
from thb.interop import runner
from thb.interop.models import ImportJob, ImportJobStatus
from thb.interop.registry import get_import_type
from thb.interop.templates_files import example_csv


@pytest.mark.browser
def test_the_job_page_follows_the_import_and_my_imports_keeps_the_result(
    transactional_db, page, make_user, provider, settings
):
    from playwright.sync_api import expect

    settings.THB_IMPORT_RUNNER = "worker"  # the test plays the runner, step by step
    make_user("clerk", Role.CASEWORKER, provider)
    login(page, "clerk")
    page.goto("/import/")
    page.select_option("select[name=import_type]", "victim_cases")
    page.set_input_files(
        "input[name=file]",
        {
            "name": "register.csv",
            "mimeType": "text/csv",
            "buffer": example_csv(get_import_type("victim_cases")).encode(),
        },
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("#job-progress")
    job = ImportJob.objects.get()
    assert page.url.endswith(f"/import/jobs/{job.pk}/")

    # The runner reports progress: the bar moves without reloading the page.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING, done=1, total=4)
    bar = page.locator("#job-progress progress")
    expect(bar).to_have_attribute("value", "1")
    expect(bar).to_have_attribute("max", "4")
    expect(page.locator("[data-progress-text]")).to_have_text("1 no 4 rindām")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.QUEUED, done=0, total=0)

    # The user leaves; the job runs; back under My imports, the result is there.
    page.goto("/import/jobs/")
    runner.run_waiting_jobs()
    page.goto("/import/jobs/")
    page.click(f"a[href='/import/jobs/{job.pk}/']")
    page.wait_for_selector("#import-result")
    assert page.locator("#import-result .flag").count() == 0, page.inner_text("#import-result")
    assert page.locator("#job-progress").count() == 0
