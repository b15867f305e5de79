"""Form pieces other apps reuse (the intake, a referral): the indicators of one list
as checkboxes grouped by dimension, and a section that lets the user choose the list.
Rendered by `screening/_form.html`; the rules are checked by the evaluator and the
service, whose errors come back to the field they name."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thb.core import validators
from thb.core.languages import current_language
from thb.screening.evaluate import current_version, section
from thb.screening.services import ScreeningInput

# The fields the screening service's ValidationErrors name.
SERVICE_FIELDS = ("indicators", "list_key", "notes", "screened_on", "version")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScreeningListForm(forms.Form):
    """The indicators of one list: a checkbox group (`dim_<code>`) per dimension."""

    def __init__(self, *args: Any, list_key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = current_version()
        self.indicator_list = self.version.get_list(list_key)
        self.list_key = list_key
        language = current_language()
        self.list_label = self.indicator_list.label.get(language)
        catalogue = section().indicators
        for dimension in section().dimensions:
            groups = self.indicator_list.dimensions[dimension.code]
            choices = [
                (f"{dimension.code}.{code}", catalogue[code].label.get(language))
                for strength in ("strong", "medium", "weak")
                for code in getattr(groups, strength)
            ]
            self.fields[f"dim_{dimension.code}"] = forms.MultipleChoiceField(
                label=dimension.label.get(language),
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
            )

    def indicator_codes(self) -> list[str]:
        return [c for name in self.fields for c in self.cleaned_data.get(name, [])]

    def has_ticks(self) -> bool:
        """Any indicator ticked in the submitted data (before validation)."""
        if not self.is_bound:
            return False
        for name in self.fields:
            key = self.add_prefix(name)
            getlist = getattr(self.data, "getlist", None)
            if getlist(key) if getlist is not None else self.data.get(key):
                return True
        return False

    def groups(self) -> list[dict[str, Any]]:
        """For the template: per dimension its legend, hint, field and indicators with
        strength and hint (fieldset/legend per dimension)."""
        language = current_language()
        catalogue = section().indicators
        strengths = section().strengths
        out = []
        for dimension in section().dimensions:
            bound = self[f"dim_{dimension.code}"]
            value = bound.value() or []
            groups = self.indicator_list.dimensions[dimension.code]
            items = []
            for strength in ("strong", "medium", "weak"):
                for code in getattr(groups, strength):
                    full = f"{dimension.code}.{code}"
                    hint = catalogue[code].hint
                    items.append(
                        {
                            "value": full,
                            "id": f"{bound.auto_id}_{full.replace('.', '_')}",
                            "label": catalogue[code].label.get(language),
                            "strength": strength,
                            "strength_label": getattr(strengths, strength).get(language),
                            "hint": hint.get(language) if hint else "",
                            "checked": full in value,
                        }
                    )
            out.append(
                {
                    "code": dimension.code,
                    "legend": dimension.label.get(language),
                    "hint": dimension.hint.get(language) if dimension.hint else "",
                    "field": bound,
                    "items": items,
                }
            )
        return out


class ScreeningSectionForm(forms.Form):
    """Choose a list, tick its indicators, add notes. Optional unless `required`:
    without a list chosen there is no screening (`screening_input()` is None). With
    `allow_notes_only`, notes without a list are accepted and returned by
    `notes_only()` (the intake keeps them on the case, as before screenings existed)."""

    list_key = forms.ChoiceField(label=_("Indicator list"), required=False)
    screened_on = forms.DateField(
        label=_("Screened on"),
        required=False,
        widget=DATE_WIDGET,
        validators=[validators.form_check(validators.past_date)],
        help_text=_("Today if empty."),
    )
    notes = validators.text_field(
        _("Screening notes"),
        required=False,
        help_text=_("What was observed, in your words. Stored encrypted."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        prefix: str = "screening",
        required: bool = False,
        allow_notes_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, prefix=prefix, **kwargs)
        self.required = required
        self.allow_notes_only = allow_notes_only
        language = current_language()
        version = current_version()
        choices = [(item.key, item.label.get(language)) for item in version.lists]
        field = cast(forms.ChoiceField, self.fields["list_key"])
        blank = [("", "—" if required else str(_("no screening")))]
        field.choices = blank + choices
        field.required = required
        self.lists = {
            item.key: ScreeningListForm(data, list_key=item.key, prefix=f"{prefix}-{item.key}")
            for item in version.lists
        }

    def list_forms(self) -> list[ScreeningListForm]:
        return list(self.lists.values())

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid, *(form.is_valid() for form in self.lists.values())])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("list_key") or ""
        for key, form in self.lists.items():
            if key != chosen and form.has_ticks():
                label = cast(forms.ChoiceField, self.fields["list_key"]).choices
                name = dict(cast(list[tuple[str, str]], label)).get(key, key)
                self.add_error(
                    "list_key",
                    _("Indicators are ticked in the list “%(list)s”, which is not chosen.")
                    % {"list": name},
                )
        if not chosen and data.get("notes") and not self.allow_notes_only:
            self.add_error("list_key", _("Choose the list the notes belong to."))
        return data

    def screening_input(self) -> ScreeningInput | None:
        data = self.cleaned_data
        chosen = data.get("list_key") or ""
        if not chosen:
            return None
        return ScreeningInput(
            list_key=chosen,
            indicators=self.lists[chosen].indicator_codes(),
            notes=data.get("notes", ""),
            screened_on=data.get("screened_on") or timezone.localdate(),
        )

    def answers(self) -> list[tuple[Any, list[dict[str, str]]]]:
        """The check-your-answers rows of the section (thb.core.forms.answer): the list,
        the date, the indicators ticked in the chosen list and the notes."""
        from thb.core.forms import answer, field_id

        rows = [answer(self["list_key"])]
        chosen = self.cleaned_data.get("list_key") or ""
        if chosen:
            rows.append(answer(self["screened_on"]))
            list_form = self.lists[chosen]
            for name in list_form.fields:
                row = {**answer(list_form[name]), "id": field_id(self["list_key"])}
                if row["value"]:
                    rows.append(row)
            if len(rows) == 2:
                rows.append(
                    {
                        "label": str(_("Indicators")),
                        "value": str(_("none ticked")),
                        "id": field_id(self["list_key"]),
                    }
                )
        rows.append(answer(self["notes"]))
        legend = _("Screening with the ILO/EC indicators of trafficking")
        return [(legend, rows)]

    def notes_only(self) -> str:
        """The notes when no list is chosen (only with `allow_notes_only`)."""
        if self.cleaned_data.get("list_key") or not self.allow_notes_only:
            return ""
        return str(self.cleaned_data.get("notes") or "")

    def apply_service_error(self, error: Any) -> None:
        """Errors of the screening service (`indicators`, `notes`, `screened_on`)."""
        from thb.core.forms import add_service_errors

        add_service_errors(self, error, {"indicators": "list_key", "list_key": "list_key"})


def split_service_error(
    error: ValidationError,
) -> tuple[ValidationError | None, ValidationError | None]:
    """A service's error split into the screening section's part and the rest, for a
    page whose service records a screening together with its own data (the intake)."""
    if not hasattr(error, "error_dict"):
        return None, error
    mine = {k: v for k, v in error.error_dict.items() if k in SERVICE_FIELDS}
    rest = {k: v for k, v in error.error_dict.items() if k not in SERVICE_FIELDS}
    return (ValidationError(mine) if mine else None), (ValidationError(rest) if rest else None)
