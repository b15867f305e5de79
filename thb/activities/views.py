"""Pages of the activity records: for every record type a list (by year), a create and
an edit form and a read-only detail; the institution's yearly overview; the
coordinator's activity statistics. Thin: selectors read, services write."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import User
from thb.activities import policy
from thb.activities.forms import link_help_and_errors, record_form
from thb.activities.models import ActivityRecord
from thb.activities.record_types import LABEL_LISTS, TYPES, RecordType
from thb.activities.selectors import (
    detection_summary,
    institutions_visible,
    record_get_for_user,
    record_list,
    record_order,
    year_overview,
)
from thb.activities.services import record_save
from thb.core import formats
from thb.core.access import allowed_if
from thb.core.forms import year_param
from thb.core.languages import current_language
from thb.core.paging import request_page
from thb.profiles import get_profile

# The nav link in core/nav_apps.html; listed here so this app's catalogue translates it.
NAV_LABEL = gettext_lazy("Activities")
GROUPS = [
    ("detection", gettext_lazy("Detection")),
    ("helplines", gettext_lazy("Helplines")),
    ("training", gettext_lazy("Training")),
    ("awareness", gettext_lazy("Awareness")),
    ("international", gettext_lazy("International cooperation")),
]


def _type(slug: str) -> RecordType:
    try:
        return TYPES[slug]
    except KeyError:
        raise Http404 from None


def _display(record_type: RecordType, name: str, value: Any) -> str:
    language = current_language()
    activities = get_profile().activities
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    list_name = LABEL_LISTS.get((record_type.slug, name))
    if isinstance(value, list):
        if list_name:
            return ", ".join(activities.label(list_name, v, language) for v in value)
        return ", ".join(str(v) for v in value)
    if list_name:
        return activities.label(list_name, str(value), language)
    if name == "legal_basis":
        profile = get_profile()
        for section in profile.legal_sections:
            if section.code == value:
                return section.label.get(language)
        return activities.label("legal_bases", str(value), language)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, Decimal)):
        return formats.number(value)
    field = record_type.model._meta.get_field(name)
    choices = getattr(field, "flatchoices", None)
    if choices:  # a choice of the model (an aggregate's basis): its label
        return str(dict(choices).get(value, value))
    return str(value)


def _label(record_type: RecordType, name: str) -> str:
    return str(getattr(record_type.model._meta.get_field(name), "verbose_name", name))


def _rows(record_type: RecordType, records: Any) -> list[dict[str, Any]]:
    return [
        {
            "record": record,
            "cells": [_display(record_type, n, getattr(record, n)) for n in record_type.columns],
        }
        for record in records
    ]


@allowed_if(policy.can_read)
def home(request: HttpRequest) -> HttpResponse:
    """The institution's yearly overview (the coordinator: any institution's, or all)."""
    actor: User = request.user  # type: ignore[assignment]
    year = year_param(request, timezone.localdate().year - 1) or timezone.localdate().year - 1
    institution = request.GET.get("institution", "") if policy.sees_all(actor) else ""
    overview = year_overview(actor=actor, year=year, institution=institution)
    groups = [
        (label, [row for row in overview if row["type"].group == code]) for code, label in GROUPS
    ]
    return render(
        request,
        "activities/home.html",
        {
            "year": year,
            "groups": groups,
            "institution": institution,
            "institutions": institutions_visible(actor) if policy.sees_all(actor) else None,
            "detection": detection_summary(actor=actor, year=year, institution=institution),
            "kind_labels": dict(
                get_profile().activities.choices("detection_kinds", current_language())
            ),
        },
    )


@allowed_if(policy.can_read)
def record_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    record_type = _type(slug)
    year = year_param(request)
    institution = request.GET.get("institution", "") if policy.sees_all(actor) else ""
    records = record_list(actor=actor, record_type=record_type, year=year, institution=institution)
    page = request_page(request, records, order=record_order(record_type))
    return render(
        request,
        "activities/list.html",
        {
            "record_type": record_type,
            "headers": [_label(record_type, n) for n in record_type.columns],
            "rows": _rows(record_type, page.items),
            "pager": page.links(request),
            "year": year,
            "institution": institution,
            "institutions": institutions_visible(actor) if policy.sees_all(actor) else None,
            "can_write": policy.can_write(actor, record_type),
            "show_institution": policy.sees_all(actor),
        },
    )


def _form_page(
    request: HttpRequest, record_type: RecordType, instance: ActivityRecord | None
) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    if not policy.can_change(actor, record_type, instance):
        raise PermissionDenied
    form = record_form(
        record_type=record_type,
        actor=actor,
        data=request.POST if request.method == "POST" else None,
        instance=instance,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record, _created = record_save(
                actor=actor,
                record_type=record_type,
                values=form.cleaned_values(),
                instance=instance,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:record_detail", slug=record_type.slug, pk=record.pk)
    link_help_and_errors(form)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "activities/form.html",
        {"record_type": record_type, "form": form, "instance": instance},
        status=status,
    )


@allowed_if(policy.can_read)
def record_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, _type(slug), None)


@allowed_if(policy.can_read)
def record_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    record_type = _type(slug)
    record = record_get_for_user(actor=request.user, record_type=record_type, pk=pk)  # type: ignore[arg-type]
    return _form_page(request, record_type, record)


@allowed_if(policy.can_read)
def record_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    record_type = _type(slug)
    record = record_get_for_user(actor=actor, record_type=record_type, pk=pk)
    facts = [
        (_label(record_type, n), _display(record_type, n, getattr(record, n)))
        for n in record_type.fields
    ]
    children = [
        (child, _rows(child, child.model._default_manager.filter(**{child.parent.field: record})))
        for child in TYPES.values()
        if child.parent is not None and child.parent.slug == record_type.slug
    ]
    return render(
        request,
        "activities/detail.html",
        {
            "record_type": record_type,
            "record": record,
            "facts": facts,
            "children": [
                (child, [_label(child, n) for n in child.columns], rows) for child, rows in children
            ],
            "can_edit": policy.can_change(actor, record_type, record),
        },
    )
