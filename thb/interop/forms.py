from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thb.core import validators
from thb.core.forms import FormPattern
from thb.core.languages import country_language, language_name
from thb.interop.registry import ImportType
from thb.interop.services import submission_submit_check
from thb.interop.tables import MAX_FILE_BYTES


class UploadForm(forms.Form):
    import_type = forms.ChoiceField(label=_("Type of records"))
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    dry_run = forms.BooleanField(
        label=_("Check only, save nothing"),
        required=False,
    )
    ignore_columns = forms.BooleanField(
        label=_("Skip columns that are not in the type (they are named in the result)"),
        required=False,
    )

    # Fields of this form that are keyword options of the import engine (`import_file`):
    # stored with the background job and passed to the engine when it runs.
    ENGINE_OPTIONS: tuple[str, ...] = ("ignore_columns",)

    def __init__(self, *args: Any, types: list[ImportType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["import_type"].choices = [(t.name, str(t.label)) for t in types]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB."), params={"mb": MAX_FILE_BYTES // 2**20}
            )
        return upload

    def engine_options(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.ENGINE_OPTIONS}


class SubmissionTextsForm(FormPattern, forms.Form):
    """One text area in the country's language and one in English per report section.
    With `submit` (the "Submit" button), the rule of sending
    (services.submission_submit_check) runs with the fields' own checks, so both kinds
    of error show in one round."""

    def __init__(
        self, *args: Any, sections: list[tuple[str, str]], submit: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.submit = submit
        own = language_name(country_language())
        for code, label in sections:
            self.fields[f"{code}_lv"] = validators.text_field(
                f"{label} ({own})",
                kind="chapter",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"{code}_en"] = validators.text_field(
                f"{label} ({_('English, optional')})",
                kind="chapter",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        latvian = [f"{code}_lv" for code, _label in self.sections]
        # A text that failed its own check is not judged empty a second time.
        if self.submit and all(name in data for name in latvian):
            submission_submit_check([data[name] for name in latvian], errors)

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            code: (self.cleaned_data[f"{code}_lv"], self.cleaned_data[f"{code}_en"])
            for code, _label in self.sections
        }


class ReviewForm(forms.Form):
    comment = validators.text_field(
        _("Comment to the institution (required to return; reason to reopen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
