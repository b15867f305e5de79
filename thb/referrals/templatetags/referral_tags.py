"""Labels of the referral section's codes in the current language."""

from __future__ import annotations

from django import template

from thb.core.languages import current_language
from thb.profiles import get_profile

register = template.Library()


@register.simple_tag
def referral_label(name: str, code: str) -> str:
    """{% referral_label "urgency_levels" referral.urgency %}"""
    if not code:
        return ""
    return get_profile().referral.label(name, code, current_language())


@register.simple_tag
def form_labels(codes: list[str]) -> str:
    profile = get_profile()
    language = current_language()
    return "; ".join(profile.label("exploitation_forms", code, language) for code in codes)


@register.inclusion_tag("referrals/_nav.html", takes_context=True)
def referrals_nav(context: template.Context) -> dict[str, object]:
    """The referral links the signed-in user may use (rules in thb.referrals.policy)."""
    from thb.referrals import policy

    user = context.get("user")
    active = bool(user is not None and getattr(user, "is_authenticated", False))
    return {"referrals": active and policy.can_use(user)}  # type: ignore[arg-type]
