"""The report as PDF: the standalone HTML (reports/standalone.html) printed by
WeasyPrint with the print stylesheet (reports/report-print.css)."""

from __future__ import annotations

from weasyprint import HTML

from thb.reports.document import Document
from thb.reports.formats.web import render_standalone


def render_pdf(document: Document) -> bytes:
    html = HTML(string=render_standalone(document), base_url=None)
    pdf = html.write_pdf()
    assert pdf is not None
    return pdf
