"""Audit events in words: "Submission returned to the State Border Guard with a
comment", not `{'transition': 'returned', ...}` and `interop.submission 8`.

An event reads through the first sentence registered for its kind (most specific
first): `"<object type> <action> <step>"`, then `"<object type> <action>"`; apps
register theirs in `AppConfig.ready()` (`thb.core.registry.register_audit_events`).
An event of a kind nobody described reads "<action>: <object's name>". Sentences may
name `%(object)s` (the object's verbose name), `%(institution)s` (the institution the
details name, in the active language), `%(year)s`, `%(type)s` (an import type's label)
and `%(reference)s` (the case code, referral reference or proceeding number)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.audit.models import Action, AuditEvent
from thb.core.languages import current_language
from thb.core.registry import registry

# What happened to an object of any kind, when its kind has no sentence of its own.
ACTION_SENTENCES = {
    Action.CREATE: gettext_lazy("%(object)s recorded"),
    Action.READ: gettext_lazy("%(object)s viewed"),
    Action.UPDATE: gettext_lazy("%(object)s changed"),
    Action.DELETE: gettext_lazy("%(object)s deleted"),
    Action.EXPORT: gettext_lazy("%(object)s exported"),
    Action.LOGIN: gettext_lazy("Signed in"),
    Action.LOGOUT: gettext_lazy("Signed out"),
    Action.LOGIN_FAILED: gettext_lazy("Failed sign-in"),
    Action.DENIED: gettext_lazy("Access refused: %(object)s"),
}
REFERENCE_KEYS = ("code", "case", "reference", "number")


@dataclass(frozen=True)
class EventText:
    sentence: str
    object_name: str
    reference: str  # an identifier the details name (a case code), shown as is
    details: str  # the recorded details as JSON, for the record


def object_name(object_type: str) -> str:
    """The verbose name of a model label ("interop.submission" → "Submission")."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    return str(model._meta.verbose_name).capitalize()


def _institution(code: str, cache: dict[str, str]) -> str:
    if code not in cache:
        from thb.accounts.models import Institution

        found = Institution.objects.filter(code=code).first()
        cache[code] = found.display_name(current_language()) if found else code
    return cache[code]


def _import_type(name: str) -> str:
    from thb.interop.registry import registered

    found = registered().get(name)
    return str(found.label) if found else name


def describe(event: AuditEvent, cache: dict[str, str] | None = None) -> EventText:
    cache = {} if cache is None else cache
    details = event.details if isinstance(event.details, dict) else {}
    step = str(details.get("transition") or details.get("step") or "")
    sentences = registry.audit_events
    template = (
        sentences.get(f"{event.object_type} {event.action} {step}")
        or sentences.get(f"{event.object_type} {event.action}")
        or ACTION_SENTENCES.get(event.action)  # type: ignore[call-overload]
        or "%(object)s"
    )
    name = object_name(event.object_type)
    reference = next((str(details[k]) for k in REFERENCE_KEYS if details.get(k)), "")
    values: dict[str, Any] = {
        "object": name or _("record"),
        "institution": _institution(str(details.get("institution", "")), cache)
        if details.get("institution")
        else "",
        "year": details.get("year", ""),
        "type": _import_type(str(details["type"])) if details.get("type") else "",
        "reference": reference,
    }
    return EventText(
        sentence=str(template) % values,
        object_name=name,
        reference=reference,
        details=json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
    )
