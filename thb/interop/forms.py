from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thb.core import validators
from thb.core.forms import FormPattern, language_map_data, language_map_fields
from thb.interop.registry import ImportType
from thb.interop.services import submission_submit_check, submission_texts_check
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
    """One text area per report section and profile language (`<section>_<language>`,
    the country's language first). The texts' rules (services.submission_texts_check)
    and, with `submit` (the "Submit" button), the rule of sending
    (services.submission_submit_check) run together, so every error shows in one
    round."""

    def __init__(
        self,
        *args: Any,
        sections: list[tuple[str, str]],
        submit: bool = False,
        texts: Mapping[str, Mapping[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.submit = submit
        for code, label in sections:
            language_map_fields(
                self,
                code,
                label,
                kind="chapter",
                textarea=True,
                rows=4,
                initial=(texts or {}).get(code),
            )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        texts = self._texts(data)
        with errors:
            submission_texts_check(texts)
        if self.submit:
            submission_submit_check(texts.values(), errors)

    def _texts(self, data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
        return {code: language_map_data(data, code) for code, _label in self.sections}

    def texts(self) -> dict[str, dict[str, str]]:
        """{section code: {language code: text}}, for submission_save_texts."""
        return self._texts(self.cleaned_data)


class ReviewForm(forms.Form):
    comment = validators.text_field(
        _("Comment to the institution (required to return; reason to reopen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
