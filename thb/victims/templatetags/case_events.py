"""Labels of case-timeline events written by other apps.

Each app declares its `EVENT_LABELS = {kind: label}` with register_case_links in its
AppConfig.ready(); the victims app renders its own kinds in victims/_event.html."""

from __future__ import annotations

from datetime import date

from django import template

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
