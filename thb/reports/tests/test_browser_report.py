"""In Chromium: the coordinator downloads the Latvian public PDF and the English
internal XLSX from the annual report page (each download audited); a caseworker gets 403.
Both editions and both languages go through the form; the PDF is the public one, which
WeasyPrint prints in a few seconds, where the internal one's definitions appendix takes
some 20 (test_formats.py prints that one).

PDF and XLSX come from the formats package (thb/reports/formats, branch i7-formats)."""

from __future__ import annotations

from pathlib import Path

import pytest

from thb.accounts.models import InstitutionKind, Role
from thb.audit.models import AuditEvent
from thb.conftest import login


def _download(page, *, language: str, edition: str, fmt: str) -> tuple[str, bytes]:
    page.goto("/reports/annual/?year=2020")
    page.select_option("#download select[name=language]", language)
    page.select_option("#download select[name=edition]", edition)
    page.select_option("#download select[name=format]", fmt)
    # The report is built on request: on a loaded machine that takes longer than the
    # page's default timeout, and the click must not wait for a navigation (a download
    # is none).
    with page.expect_download(timeout=180_000) as info:
        page.click("#download button[type=submit]", no_wait_after=True, timeout=180_000)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


@pytest.mark.browser
def test_the_coordinator_downloads_the_report_and_a_caseworker_may_not(
    transactional_db, page, make_user, make_institution
):
    ministry = make_institution("iem", InstitutionKind.MINISTRY, "Iekšlietu ministrija")
    provider = make_institution("marta", InstitutionKind.SERVICE_PROVIDER, "Centrs MARTA")
    make_user("coordinator", Role.COORDINATOR, ministry)
    make_user("caseworker", Role.CASEWORKER, provider)

    login(page, "coordinator")
    name, content = _download(page, language="lv", edition="public", fmt="pdf")
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    name, content = _download(page, language="en", edition="internal", fmt="xlsx")
    assert name.endswith(".xlsx") and content.startswith(b"PK")  # a zip container
    events = AuditEvent.objects.filter(object_type="reports.report").order_by("id")
    assert [(e.details["language"], e.details["edition"], e.details["format"]) for e in events] == [
        ("lv", "public", "pdf"),
        ("en", "internal", "xlsx"),
    ]

    page.context.clear_cookies()
    login(page, "caseworker")
    response = page.goto("/reports/annual/?year=2020")
    assert response is not None and response.status == 403
    response = page.goto("/reports/annual/?year=2020&language=lv&edition=internal&format=pdf")
    assert response is not None and response.status == 403
    assert AuditEvent.objects.filter(object_type="reports.report").count() == 2
