"""Forms of the referral pages. Code lists come from the country profile; the rules
are the services' (their errors are shown at the field they name)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.core import validators
from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.referrals.policy import receiving_institutions
from thb.referrals.rules import local_date
from thb.referrals.services import (
    UNKNOWN_AGE_GROUP,
    NotificationDetails,
    ReferralDetails,
    ReferredPerson,
    referral_check,
)
from thb.victims.forms import DATE_WIDGET, ServiceErrorsMixin, country_choices
from thb.victims.models import Sex


def _section_choices(name: str) -> list[tuple[str, str]]:
    return get_profile().referral.choices(name, current_language())


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class ReferralForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {"reason": "consent"}

    provider = forms.ModelChoiceField(label=_("Refer to"), queryset=Institution.objects.none())
    urgency = forms.ChoiceField(label=_("Urgency"))
    consent = forms.ChoiceField(label=_("Consent"), widget=forms.RadioSelect)
    consent_on = forms.DateField(label=_("Consent given or refused on"), widget=DATE_WIDGET)
    given_names = validators.text_field(_("Given names"), kind="name", required=False)
    surname = validators.text_field(_("Surname"), kind="name", required=False)
    personal_code = forms.CharField(
        label=_("Personal code"),
        required=False,
        max_length=40,
        validators=[validators.form_check(validators.personal_code)],
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DATE_WIDGET,
        validators=[validators.form_check(validators.past_date)],
    )
    age = validators.integer_field(
        _("Age (if the date of birth is not known)"), validators.age, required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    suspected_forms = forms.MultipleChoiceField(
        label=_("Suspected forms of exploitation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=_("Language the person speaks"))
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    contact_arrangement = forms.ChoiceField(label=_("Contact arrangement"))
    phone = validators.text_field(_("Phone"), kind="line", required=False)
    address = validators.text_field(
        _("Address or where the person stays"), kind="line", required=False
    )
    contact_notes = validators.text_field(
        _("Contact details and arrangements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored encrypted; seen only by the provider."),
    )
    observations = validators.text_field(
        _("What was observed (notes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted; carried into the intake."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = Institution.objects.filter(
            receiving_institutions()
        ).order_by("name")
        _set_choices(self, "urgency", _section_choices("urgency_levels"))
        _set_choices(self, "consent", _section_choices("consent_options"))
        _set_choices(self, "language", _section_choices("languages"))
        _set_choices(self, "contact_arrangement", _section_choices("contact_arrangements"))
        _set_choices(self, "citizenship", country_choices())
        _set_choices(
            self, "suspected_forms", get_profile().choices("exploitation_forms", current_language())
        )

    def person(self) -> ReferredPerson:
        data = self.cleaned_data
        return ReferredPerson(
            given_names=data.get("given_names", ""),
            surname=data.get("surname", ""),
            personal_code=data.get("personal_code", ""),
            date_of_birth=data.get("date_of_birth"),
            phone=data.get("phone", ""),
            address=data.get("address", ""),
            sex=data.get("sex") or "",
            citizenship=data.get("citizenship") or "",
            age=data.get("age"),
        )

    def details(self) -> ReferralDetails:
        """The details as entered (in clean, what did not parse is None or blank)."""
        data = self.cleaned_data
        return ReferralDetails(
            provider=data.get("provider"),  # type: ignore[arg-type]
            consent=data.get("consent") or "",
            consent_on=data.get("consent_on"),  # type: ignore[arg-type]
            urgency=data.get("urgency") or "",
            language=data.get("language") or "",
            contact_arrangement=data.get("contact_arrangement") or "",
            interpreter_needed=bool(data.get("interpreter_needed")),
            contact_notes=data.get("contact_notes", ""),
            observations=data.get("observations", ""),
            suspected_forms=data.get("suspected_forms", []),
        )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        """The referral's rules (referral_check, as referral_send runs them)."""
        referral_check(self.person(), self.details(), local_date(timezone.now()), errors)


class DeclineForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), widget=forms.RadioSelect)
    note = validators.text_field(
        _("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The referring institution sees the reason and this explanation."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "reason", _section_choices("decline_reasons"))


class NotificationForm(ServiceErrorsMixin, forms.Form):
    notified_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    age_group = forms.ChoiceField(label=_("Age group"))
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    suspected_forms = forms.MultipleChoiceField(
        label=_("Suspected forms of exploitation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        profile = get_profile()
        _set_choices(
            self,
            "age_group",
            [
                *profile.choices("age_groups", current_language()),
                (UNKNOWN_AGE_GROUP, str(_("unknown"))),
            ],
        )
        _set_choices(self, "citizenship", country_choices())
        _set_choices(
            self, "suspected_forms", profile.choices("exploitation_forms", current_language())
        )

    def details(self) -> NotificationDetails:
        data = self.cleaned_data
        return NotificationDetails(
            notified_on=data["notified_on"],
            sex=data["sex"],
            age_group=data["age_group"],
            citizenship=data.get("citizenship") or "",
            suspected_forms=data.get("suspected_forms", []),
        )
