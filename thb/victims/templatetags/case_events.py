"""Labels of case-timeline events written by other apps.

Each app may declare `EVENT_LABELS = {kind: label}` in `thb/<app>/links.py`; the
victims app renders its own kinds in victims/_event.html."""

from __future__ import annotations

import importlib
from functools import lru_cache

from django import template
from django.conf import settings

register = template.Library()


@lru_cache(maxsize=1)
def _labels() -> dict[str, object]:
    labels: dict[str, object] = {}
    for app in settings.THB_DOMAIN_APPS:
        try:
            module = importlib.import_module(f"thb.{app}.links")
        except ModuleNotFoundError as exc:
            if exc.name != f"thb.{app}.links":
                raise
            continue
        labels.update(getattr(module, "EVENT_LABELS", {}))
    return labels


@register.simple_tag
def event_label(kind: str) -> str:
    label = _labels().get(kind)
    return str(label) if label is not None else kind.replace("_", " ").replace(".", ": ")
