"""The justice link in the main navigation, shown only to those who may use it."""

from __future__ import annotations

from typing import Any

from django import template

from thb.justice.policy import can_use_justice

register = template.Library()


@register.inclusion_tag("justice/_nav_link.html", takes_context=True)
def justice_nav(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    show = bool(user is not None and user.is_authenticated and can_use_justice(user))
    return {"show": show}
