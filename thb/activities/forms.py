"""Forms for the activity record types, built from the type description: code fields
become choices from the country profile, list fields checkboxes, parents only the
actor's institution's own. The service's rules (record_check) run in the form's clean(),
so field errors and rule errors show in one round (thb.core.forms.FormPattern); the
service validates again and saves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.models import fields_for_model, model_to_dict
from django_countries import countries

from thb.accounts.models import User
from thb.activities.models import ActivityRecord
from thb.activities.record_types import LABEL_LISTS, RecordType, bound, legal_basis_codes
from thb.activities.selectors import parent_choices
from thb.activities.services import record_check
from thb.core import validators
from thb.core.forms import FormPattern
from thb.core.languages import current_language
from thb.profiles import get_profile


def _choices(record_type: RecordType, name: str, language: str) -> list[tuple[str, str]]:
    activities = get_profile().activities
    if name == "partner_countries":
        return [(country.code, str(country.name)) for country in countries]
    if name == "legal_basis":
        profile = get_profile()
        labels = {s.code: s.label.get(language) for s in profile.legal_sections}
        labels.update({b.code: b.label.get(language) for b in activities.legal_bases})
        return [(code, labels.get(code, code)) for code in legal_basis_codes()]
    list_name = LABEL_LISTS.get((record_type.slug, name))
    if list_name is not None:
        return activities.choices(list_name, language)
    codes = (record_type.codes.get(name) or record_type.multi_codes[name])()
    return [(code, code) for code in codes]


class RecordForm(FormPattern, forms.Form):
    record_type: RecordType
    actor: User
    instance: ActivityRecord | None = None

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        values = dict(data)
        for name in self.record_type.multi_codes:
            if name in values:
                values[name] = list(values[name] or [])
        record_check(
            actor=self.actor,
            record_type=self.record_type,
            values=values,
            instance=self.instance,
            skip=[name for name in self.fields if name not in data],
            errors=errors,
        )

    def cleaned_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        for name in self.record_type.multi_codes:
            values[name] = list(values.get(name) or [])
        return values


def record_form(
    *,
    record_type: RecordType,
    actor: User,
    data: Any = None,
    instance: ActivityRecord | None = None,
) -> RecordForm:
    language = current_language()
    base = fields_for_model(record_type.model, fields=record_type.fields)
    fields: dict[str, forms.Field] = {}
    for name in record_type.fields:
        field = base[name]
        model_field = record_type.model._meta.get_field(name)
        label, help_text = field.label, field.help_text
        if name in record_type.codes:
            blank = bool(getattr(model_field, "blank", False))
            choices = _choices(record_type, name, language)
            field = forms.ChoiceField(
                choices=([("", "—")] if blank else [("", "")]) + choices, required=not blank
            )
        elif name in record_type.multi_codes:
            widget = (
                forms.SelectMultiple
                if name == "partner_countries"
                else forms.CheckboxSelectMultiple
            )
            field = forms.MultipleChoiceField(
                choices=_choices(record_type, name, language), required=False, widget=widget
            )
        elif record_type.parent is not None and name == record_type.parent.field:
            field = forms.ModelChoiceField(
                queryset=parent_choices(actor=actor, record_type=record_type)
            )
        elif isinstance(field, forms.DateTimeField):
            field = forms.DateTimeField(
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
            )
        elif isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        check = bound(record_type, name)
        if check is not None:
            # One message per rule: the profile's text check replaces Django's own.
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.validators.append(validators.form_check(check))
        field.label, field.help_text = label, help_text
        fields[name] = field
    form_class = type("RecordForm", (RecordForm,), {**fields, "record_type": record_type})
    initial = model_to_dict(instance, fields=record_type.fields) if instance is not None else None
    form: RecordForm = form_class(data=data, initial=initial)
    form.actor, form.instance = actor, instance
    return form


def link_help_and_errors(form: forms.Form) -> None:
    """Tie each input to its help text and errors (aria-describedby), so a screen reader
    announces them with the field. Call after validation, before rendering."""
    for name, field in form.fields.items():
        described = [f"id_{name}_help"] if field.help_text else []
        if form.is_bound and name in form.errors:
            described.append(f"id_{name}_error")
            field.widget.attrs["aria-invalid"] = "true"
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)
