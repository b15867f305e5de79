"""Form helpers shared by the domain apps."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.http import HttpRequest, QueryDict
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_countries import countries

from thb.core import formats
from thb.core.languages import country_language, current_language, language_name, languages
from thb.core.validators import Collect, TextKind, text_limit, year


def add_service_errors(
    form: forms.BaseForm,
    exc: ValidationError,
    aliases: Mapping[str, str] | None = None,
    *,
    skip_failed: bool = False,
) -> None:
    """Show a service's ValidationError at the form fields it names (through `aliases`
    where the service's name differs from the field's); anything else above the form.
    With `skip_failed`, a field that already shows an error (it is missing or did not
    parse, so the service saw a blank) gets no second one."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    by_target: dict[str | None, list[ValidationError]] = {}
    for name, errors in exc.error_dict.items():
        alias = (aliases or {}).get(name, name)
        for error in errors:
            by_target.setdefault(_error_target(form, alias, error), []).append(error)
    for target, errors in by_target.items():
        if skip_failed and target is not None and target in form.errors:
            continue
        form.add_error(target, errors)


def _error_target(form: forms.BaseForm, name: str, error: ValidationError) -> str | None:
    # A language map's error names its language (validators.language_map): it is
    # shown at that language's input (language_map_fields).
    code = (getattr(error, "params", None) or {}).get("language_code")
    for target in (f"{name}_{code}" if code else "", name):
        if target in form.fields:
            return target
    return None


def language_map_fields(
    form: forms.BaseForm,
    name: str,
    label: Any,
    *,
    kind: TextKind | int,
    required: bool = False,
    textarea: bool = False,
    rows: int = 8,
    initial: Mapping[str, str] | None = None,
) -> None:
    """Add to `form` one input per profile language for the language map `name` (e.g.
    Institution.names): `<name>_<language code>`, labelled with the language's name,
    the country's language first (and required where the map requires it).
    `language_map_data` reads them back; the service checks the map
    (validators.language_map) and add_service_errors shows each error at its
    language's input."""
    maximum = text_limit(kind)
    for code in languages():
        widget: forms.Widget = (
            forms.Textarea(attrs={"rows": rows, "cols": 40}) if textarea else forms.TextInput()
        )
        widget.attrs.update({"maxlength": str(maximum), "lang": code})
        form.fields[f"{name}_{code}"] = forms.CharField(
            # Translators: an input's label and the language its text is in:
            # "Text (Latvian)".
            label=_("%(label)s (%(language)s)") % {"label": label, "language": language_name(code)},
            required=required and code == country_language(),
            initial=(initial or {}).get(code, ""),
            widget=widget,
        )


def language_map_data(data: Mapping[str, Any], name: str) -> dict[str, str]:
    """The language map `name` from a form's cleaned data (language_map_fields)."""
    return {code: data.get(f"{name}_{code}") or "" for code in languages()}


class FormPattern:
    """The one form pattern of THB (GOV.UK Design System as the model), mixed into every
    form with rules beyond its fields' own:

    - `clean()` runs the service's rules (`service_check`, the same functions the
      services call) on whatever parsed, so the field errors and the rule errors come
      back together in one round; a field that already failed is not reported twice;
    - `fieldsets`: (legend, field names) for long forms, rendered as fieldsets by
      form_fields.html (fields in no section follow, without a legend);
    - `answers()`: the check-your-answers rows (label, shown value, field id).

    The error summary, the "Error: " title and the hints are rendered for every form
    by base.html and form_fields.html (thb/core/templatetags/thb_forms.py)."""

    field_aliases: dict[str, str] = {}
    fieldsets: list[tuple[Any, list[str]]] = []

    def apply_service_error(self, error: ValidationError) -> None:
        add_service_errors(self._form, error, self.field_aliases)

    @property
    def _form(self) -> forms.Form:
        return self  # type: ignore[return-value]

    def service_check(self, data: dict[str, Any], errors: Collect) -> None:
        """Run the service's rules on the parsed data, adding failures to `errors`.
        Fields that did not parse are absent from `data`."""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        errors = Collect()
        with errors:
            self.service_check(data, errors)
        if errors.errors:
            add_service_errors(
                self._form, ValidationError(errors.errors), self.field_aliases, skip_failed=True
            )
        return data

    def section_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        form = self._form
        no_preselection(form)
        if not self.fieldsets:
            return [("", list(form.visible_fields()))]
        placed = {name for _legend, names in self.fieldsets for name in names}
        out = [
            (legend, [form[name] for name in names if name in form.fields])
            for legend, names in self.fieldsets
        ]
        rest = [f for f in form.visible_fields() if f.name not in placed]
        return out + ([("", rest)] if rest else [])

    def answers(self) -> list[tuple[Any, list[dict[str, str]]]]:
        return [
            (legend, [answer(bound) for bound in fields])
            for legend, fields in self.section_fields()
        ]


# The largest key a database integer column holds (SQLite and PostgreSQL bigint).
MAX_PK = 2**63 - 1


class BoundedKeys:
    """A model choice field whose submitted keys are checked to be whole numbers a
    database column can hold before any query: an out-of-range key is the field's
    "not one of the choices" error, not an OverflowError from the database driver."""

    def _bounded(self, value: Any) -> None:
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            text = str(item).strip()
            if text in {"", "None"}:
                continue
            if not text.isdigit() or int(text) > MAX_PK:
                field = cast(forms.ModelChoiceField, self)
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )

    def clean(self, value: Any) -> Any:
        self._bounded(value)
        return super().clean(value)  # type: ignore[misc]


def no_preselection(form: forms.BaseForm) -> None:
    """Nothing preselected that the user must decide: a required drop-down whose
    choices have no empty option (the browser would show its first choice as chosen)
    gets an empty "Choose…" option first. Radios are never preselected without an
    initial value; a model choice has Django's own empty option."""
    for field in form.fields.values():
        if (
            isinstance(field, forms.ChoiceField)
            and type(field) in (forms.ChoiceField, forms.TypedChoiceField)
            and field.required
            and not isinstance(field.widget, forms.RadioSelect)
        ):
            choices = list(cast(Iterable[Any], field.choices))
            if all(str(key) != "" for key, _label in choices):
                field.choices = [("", _("Choose…")), *choices]


def field_id(bound: forms.BoundField) -> str:
    """The id of the input an error or a "Change" link points at: the first box of a
    group of radios or checkboxes, else the field's own."""
    if isinstance(bound.field.widget, forms.RadioSelect):  # checkboxes too
        return f"{bound.auto_id}_0"
    return str(bound.auto_id)


def _choice_labels(choices: Iterable[Any]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key, label in choices:
        if isinstance(label, list | tuple):
            labels.update(_choice_labels(label))
        else:
            labels[str(key)] = str(label)
    return labels


def answer(bound: forms.BoundField) -> dict[str, str]:
    """One check-your-answers row: the label, the answer as the user chose it (the
    choice's label, a localised date) and the id the "Change" link goes to."""
    form = bound.form
    field = bound.field
    cleaned = form.cleaned_data.get(bound.name) if hasattr(form, "cleaned_data") else None
    raw = bound.value()
    values = [v for v in (raw if isinstance(raw, list | tuple) else [raw]) if v not in (None, "")]
    if isinstance(field, forms.BooleanField):
        shown = _("Yes") if cleaned else _("No")
    elif hasattr(field, "choices"):
        labels = _choice_labels(field.choices)
        shown = ", ".join(labels.get(str(v), str(v)) for v in values)
    elif isinstance(cleaned, datetime.date):
        shown = formats.day(cleaned)
    elif cleaned not in (None, ""):
        shown = str(cleaned)
    else:
        shown = ", ".join(str(v) for v in values)
    return {"label": str(field.label or bound.name), "value": shown, "id": field_id(bound)}


class Draft:
    """A form's answers held in the server session between the form and its
    check-your-answers page: nothing is saved before the user confirms. The answers are
    special-category data, so they stay on the server (never in a hidden field or a
    cookie) and `clear()` drops them on confirm and on cancel."""

    def __init__(self, request: HttpRequest, key: str) -> None:
        self.session = request.session
        self.key = f"draft:{key}"

    def save(self, data: QueryDict) -> None:
        skip = {"csrfmiddlewaretoken", "step"}
        self.session[self.key] = {k: data.getlist(k) for k in data if k not in skip}

    def load(self) -> QueryDict | None:
        stored = self.session.get(self.key)
        if stored is None:
            return None
        data = QueryDict(mutable=True)
        for name, values in stored.items():
            data.setlist(name, values)
        return data

    def clear(self) -> None:
        self.session.pop(self.key, None)


def year_param(request: HttpRequest, default: int | None = None) -> int | None:
    """The ?year= of a page (a whole number within the profile's years), else `default`."""
    raw = request.GET.get("year", "")
    if not raw.strip().isdigit() or len(raw.strip()) > 4:
        return default
    try:
        return year(int(raw))
    except ValidationError:
        return default


class NormalizedChoices(list[tuple[str, str]], BaseChoiceIterator):
    """A flat list of (value, label) string pairs that Django takes as it is. Setting a
    ChoiceField's choices normalises them item by item (`normalize_choices`), twice
    (field and widget): about 1 ms of CPU for the ~250 countries (measured under load),
    on every request of a page with a country select. A BaseChoiceIterator is passed
    through unchanged; this one is still a list."""


def country_names() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, sorted by the name in the active language, built
    once per language (django-countries translates and sorts them on every call)."""
    return _country_names(current_language())


def country_name(code: object) -> str:
    """A country's name in the active language ("" for none or an unknown code)."""
    return _country_name_map(current_language()).get(str(code or ""), "")


# Each called in its key's language, the active one.
@lru_cache(maxsize=16)
def _country_names(language: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(name)) for code, name in countries)


@lru_cache(maxsize=16)
def _country_name_map(language: str) -> dict[str, str]:
    return dict(_country_names(language))


class LongSelect(forms.Select):
    """A <select> for long, flat choice lists (the ~250 countries): the same HTML as
    Django's Select, but the options are written directly (and kept per choice list,
    language and selection) instead of through one template render each, which made
    the country filter most of the case list's time. Grouped choices are not
    supported; use forms.Select for those."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if any(isinstance(label, list | tuple) for _code, label in self.choices):
            raise TypeError("LongSelect does not render grouped choices")
        choices = tuple((("" if c is None else str(c)), str(label)) for c, label in self.choices)
        options = _options(choices, tuple(self.format_value(value)), self.allow_multiple_selected)
        return format_html("<select{}>\n{}\n</select>", flatatt(final), options)


@lru_cache(maxsize=256)
def _options(
    choices: tuple[tuple[str, str], ...], values: tuple[str, ...], multiple: bool
) -> SafeString:
    selected = set(values)
    lines = []
    for code, label in choices:
        chosen = code in selected
        lines.append(
            format_html(
                '<option value="{}"{}>{}</option>', code, " selected" if chosen else "", label
            )
        )
        if chosen and not multiple:
            selected = set()
    return mark_safe("\n".join(lines))  # noqa: S308  (each line escaped by format_html)
