"""Labels of the support codes of the country profile, in the current language."""

from __future__ import annotations

from django import template

from thb.core.languages import current_language
from thb.profiles import get_profile

register = template.Library()


def _label(section: str, code: str) -> str:
    return get_profile().support.label(section, code, current_language())


@register.filter
def service_label(code: str) -> str:
    return _label("services", code)


@register.filter
def specialist_label(code: str) -> str:
    return _label("specialist_roles", code)


@register.filter
def cost_category_label(code: str) -> str:
    return _label("other_cost_categories", code)


@register.filter
def limit_rules(codes: object) -> str:
    """The limits a record exceeds, in words: {{ plan.limit_flags|limit_rules }}."""
    from thb.support.rules import rule_label

    if isinstance(codes, str):
        return rule_label(codes)
    if not isinstance(codes, (list, tuple)):
        return ""
    return ", ".join(rule_label(str(code)) for code in codes)


@register.filter
def institution_name(institution: object) -> str:
    display = getattr(institution, "display_name", None)
    return display(current_language()) if display else str(institution)


@register.inclusion_tag("support/_nav.html", takes_context=True)
def support_nav(context: template.Context) -> dict[str, object]:
    """The support links the signed-in user may use (the access rules live in
    thb.support.policy, not in the template)."""
    from thb.support import policy

    user = context.get("user")
    active = bool(user is not None and getattr(user, "is_authenticated", False))
    return {
        "plans": active and policy.can_see_plans(user),  # type: ignore[arg-type]
        "funding": active and policy.can_see_funding(user),  # type: ignore[arg-type]
        "compensation": active and policy.is_compensation_payer(user),  # type: ignore[arg-type]
    }
