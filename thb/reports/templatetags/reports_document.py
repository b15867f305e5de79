"""Template tags of the report's HTML (reports/_document.html)."""

from __future__ import annotations

from django import template

from thb.reports.document import Document
from thb.reports.formats.web import DocumentView, document_view

register = template.Library()


@register.simple_tag(takes_context=True)
def report_view(context: template.Context, document: Document) -> DocumentView:
    """What reports/_document.html shows of `document`: the chapters named by the
    context's `chapters` (ids; all by default), figure cells linked to `explain_url`
    (by default the catalogue page)."""
    chapters = context.get("chapters")
    return document_view(
        document,
        chapters=list(chapters) if chapters else None,
        explain_url=context.get("explain_url"),
    )
