"""Every format of the annual report serialises one Document (thb/reports/builder.py):

    render(document, "pdf") -> Rendered(content=b"...", content_type=..., filename=...)

html: the standalone file (the same markup as the web page, reports/_document.html,
with its styles inside); pdf: that file printed by WeasyPrint; xlsx: one sheet per
table and a contents sheet; csv: one file per table in a zip; json: figures, flags,
tables, chapters and metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from thb.reports.document import Document

FORMATS = ("html", "pdf", "xlsx", "csv", "json")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def _html(document: Document) -> Rendered:
    from thb.reports.formats.tabular import filename
    from thb.reports.formats.web import render_standalone

    return Rendered(
        render_standalone(document).encode("utf-8"),
        "text/html; charset=utf-8",
        filename(document, "html"),
    )


def _pdf(document: Document) -> Rendered:
    from thb.reports.formats.pdf import render_pdf
    from thb.reports.formats.tabular import filename

    return Rendered(render_pdf(document), "application/pdf", filename(document, "pdf"))


def _xlsx(document: Document) -> Rendered:
    from thb.reports.formats.tabular import filename
    from thb.reports.formats.xlsx import CONTENT_TYPE, render_xlsx

    return Rendered(render_xlsx(document), CONTENT_TYPE, filename(document, "xlsx"))


def _csv(document: Document) -> Rendered:
    from thb.reports.formats.csv_zip import render_csv_zip
    from thb.reports.formats.tabular import filename

    return Rendered(render_csv_zip(document), "application/zip", filename(document, "csv.zip"))


def _json(document: Document) -> Rendered:
    from thb.reports.formats.json_data import render_json
    from thb.reports.formats.tabular import filename

    return Rendered(
        render_json(document), "application/json; charset=utf-8", filename(document, "json")
    )


_RENDERERS: dict[str, Callable[[Document], Rendered]] = {
    "html": _html,
    "pdf": _pdf,
    "xlsx": _xlsx,
    "csv": _csv,
    "json": _json,
}


def render(document: Document, fmt: str) -> Rendered:
    """The document in format `fmt` (one of FORMATS)."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown report format {fmt!r} (choose one of {', '.join(FORMATS)})"
        ) from None
    return renderer(document)
