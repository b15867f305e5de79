"""The form pattern's template helpers (thb.core.forms.FormPattern): the page's error
summary and "Error: " title, found in the page's context, and a form's sections."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.context import Context

from thb.core.forms import field_id, no_preselection

register = template.Library()


def _page_forms(context: Context) -> list[forms.BaseForm]:
    """The bound forms of the page with errors, in the order the view gave them."""
    found: list[forms.BaseForm] = []
    for value in context.flatten().values():
        if (
            isinstance(value, forms.BaseForm)
            and value.is_bound
            and value.errors
            and all(value is not f for f in found)
        ):
            found.append(value)
    return found


@register.filter
def form_anchor(form: forms.BaseForm) -> str:
    """The id a form-wide error links to: its first visible field."""
    visible = form.visible_fields()
    return field_id(visible[0]) if visible else "main"


@register.simple_tag(takes_context=True)
def form_errors_present(context: Context) -> bool:
    return bool(_page_forms(context))


@register.inclusion_tag("error_summary.html", takes_context=True)
def error_summary(context: Context) -> dict[str, Any]:
    """Every error of every form on the page, each linking to its field."""
    items: list[dict[str, str]] = []
    for form in _page_forms(context):
        items.extend(
            {"id": form_anchor(form), "label": "", "message": str(message)}
            for message in form.non_field_errors()
        )
        for bound in form:
            for message in bound.errors:
                items.append(
                    {"id": field_id(bound), "label": str(bound.label), "message": str(message)}
                )
    return {"items": items}


@register.filter
def form_sections(form: forms.BaseForm) -> list[tuple[Any, list[forms.BoundField]]]:
    """The form's sections (legend, fields); one section without a legend by default."""
    sections = getattr(form, "section_fields", None)
    if sections is not None:
        return list(sections())
    no_preselection(form)
    return [("", list(form.visible_fields()))]
