"""The review queue's link in the main navigation."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("linkage/_nav.html", takes_context=True)
def linkage_nav(context: template.Context) -> dict[str, object]:
    """The link for the users who review possible duplicates (thb.linkage.policy)."""
    from thb.linkage import policy

    user = context.get("user")
    active = bool(user is not None and getattr(user, "is_authenticated", False))
    return {"linkage": active and policy.can_review(user)}  # type: ignore[arg-type]
