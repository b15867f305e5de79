"""The commission's link in the main navigation, for those its policy lets in."""

from __future__ import annotations

from django import template

from thb.core.languages import current_language

register = template.Library()


@register.inclusion_tag("commission/_nav.html", takes_context=True)
def commission_nav(context: template.Context) -> dict[str, object]:
    from thb.commission import policy

    user = context.get("user")
    active = bool(user is not None and getattr(user, "is_authenticated", False))
    return {"commission": active and policy.can_use(user)}  # type: ignore[arg-type]


@register.simple_tag
def institution_label(code: str) -> str:
    """An institution of the profile by its name in the current language."""

    from thb.profiles import get_profile

    for institution in get_profile().institutions:
        if institution.code == code:
            return institution.name.get(current_language())
    return code


@register.simple_tag
def entered_language() -> str:
    """The language of free text users enter (a summary, reasons): the installation's
    own (LANGUAGE_CODE), whatever language the page is shown in."""
    from django.conf import settings

    return str(settings.LANGUAGE_CODE).split("-")[0]
