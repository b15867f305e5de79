"""The text of a PDF's pages, for tests that read what a report prints (pypdf: pure
Python, so the tests need no poppler on the machine)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return "\n\f".join(page_texts(content))
