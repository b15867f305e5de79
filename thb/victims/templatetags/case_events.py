"""Labels of case-timeline events written by other apps.

Each app declares its `EVENT_LABELS = {kind: label}` with register_case_links in its
AppConfig.ready(); the victims app renders its own kinds in victims/_event.html."""

from __future__ import annotations

from datetime import date

from django import template

from thb.core.languages import current_language
from thb.core.registry import registry
from thb.victims.models import CaseEvent
from thb.victims.selectors import event_date

register = template.Library()


def _labels() -> dict[str, object]:
    """Labels of the timeline events other apps write (declared with
    register_case_links)."""
    return registry.event_labels


@register.simple_tag
def event_label(kind: str) -> str:
    label = _labels().get(kind)
    return str(label) if label is not None else kind.replace("_", " ").replace(".", ": ")


@register.filter
def event_on(event: CaseEvent) -> date:
    """The day the event happened (thb.victims.selectors.event_date)."""
    return event_date(event)


@register.simple_tag
def criteria_labels(codes: list[str]) -> list[dict[str, object]]:
    """The criteria of a decision as recorded: each code's label, and for a code of an
    earlier list (profile: retired_identification_criteria) the labels of the current
    criteria that replaced it (read-time mapping; the stored decision is not changed)."""

    from thb.profiles import get_profile

    profile = get_profile()
    language = current_language()
    retired = {item.code: item for item in profile.retired_identification_criteria}
    shown: list[dict[str, object]] = []
    for code in codes:
        now = retired[code].replaced_by if code in retired else []
        shown.append(
            {
                "label": profile.label("identification_criteria", code, language),
                "retired": code in retired,
                "now": [profile.label("identification_criteria", c, language) for c in now],
            }
        )
    return shown
