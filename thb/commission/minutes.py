"""The minutes of a commission meeting as a PDF, always in the country's language
(Latvian): the meeting's day and provider, the members present and the chair, the
quorum, and for each agenda case the members' positions and the decision. Printed by
WeasyPrint from the template commission/minutes.html, as the report is."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.commission import selectors
from thb.core.languages import country_language
from thb.profiles import get_profile


def render_html(view: selectors.MeetingView) -> str:
    """The minutes, in the country's own language (an official document)."""
    language = country_language()
    with translation.override(language):
        # The summaries are built again in the minutes' language (labels, country names).
        items = [selectors.item_view(item.item) for item in view.items]
        return render_to_string(
            "commission/minutes.html",
            {
                "view": view,
                "items": items,
                "commission": get_profile().commission,
                "language": language,
            },
        )


def render_pdf(view: selectors.MeetingView) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=render_html(view), base_url=None).write_pdf()
    assert pdf is not None
    return pdf


def audit_download(
    *, actor: User, view: selectors.MeetingView, request: HttpRequest | None = None
) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        target=view.meeting,
        details={"step": "minutes", "codes": view.codes, "held_on": view.meeting.held_on},
        request=request,
    )
