"""Formats of the annual report: each serialises the one Document.

MINIMAL VERSION of the i7-editorial branch: only "json", so that the `thb report`
command and the download pages can be written against the interface
`render(document, fmt) -> Rendered(content, content_type, filename)`. The i7-formats
branch owns this package; at merge its version of this file replaces this one."""

from __future__ import annotations

import json
from dataclasses import dataclass

from thb.reports.document import Document


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def _json(document: Document) -> dict[str, object]:
    return {
        "year": document.year,
        "language": document.language,
        "edition": document.edition,
        "title": document.title,
        "figures": document.figures,
        "flags": document.flags,
        "metadata": document.metadata,
    }


def render(document: Document, fmt: str) -> Rendered:
    if fmt != "json":
        raise ValueError(f"format {fmt!r} is not available in this build")
    name = f"thb-report-{document.year}-{document.edition}-{document.language}"
    body = json.dumps(_json(document), ensure_ascii=False, indent=2, default=str)
    return Rendered(body.encode("utf-8"), "application/json", f"{name}.json")
