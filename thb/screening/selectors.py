"""Reads of screenings, scoped through thb/screening/policy.py, ready for the
`screening/_result.html` include."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest

from thb.accounts.models import User
from thb.core.languages import current_language
from thb.screening.evaluate import ScreeningResult
from thb.screening.models import Screening
from thb.screening.policy import ScreeningPolicy, notes_for
from thb.victims.models import Case


@dataclass(frozen=True)
class ScreeningView:
    """What `screening/_result.html` shows of one screening to one user."""

    screening: Screening
    result: ScreeningResult
    list_label: str
    # One line per dimension (`dimension_lines`) and the conclusion, in the language.
    dimension_lines: list[str]
    conclusion: str
    # None when the user may not read the notes (thb/screening/policy.py).
    notes: str | None


def screening_view(
    actor: User, screening: Screening, request: HttpRequest | None = None
) -> ScreeningView | None:
    """The screening as the actor may see it, or None."""
    if not ScreeningPolicy.can_view(actor, screening):
        return None
    language = current_language()
    result = screening.result()
    *dimension_lines, conclusion = result.lines(language)
    return ScreeningView(
        screening=screening,
        result=result,
        list_label=result.list_label.get(language),
        dimension_lines=dimension_lines,
        conclusion=conclusion,
        notes=notes_for(actor, screening, request),
    )


def screening_views(
    actor: User, screenings: Iterable[Screening], request: HttpRequest | None = None
) -> list[ScreeningView]:
    views = (screening_view(actor, s, request) for s in screenings)
    return [v for v in views if v is not None]


def case_screenings(
    actor: User, case: Case, request: HttpRequest | None = None
) -> list[ScreeningView]:
    """The screenings of a case the actor may see (all of them, or none)."""
    screenings = Screening.objects.filter(case=case).select_related(
        "screened_by", "institution", "case"
    )
    return screening_views(actor, screenings, request)
