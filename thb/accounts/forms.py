"""Forms for the second sign-in factor, the set-up link and the administration pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thb.accounts import services
from thb.accounts.models import NAME_LENGTH, Institution, Role, User, institution_kind_choices
from thb.core import validators
from thb.core.forms import FormPattern, language_map_data, language_map_fields
from thb.core.languages import current_language


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        help_text=_("Six digits; a new code appears every 30 seconds."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.prefix:  # a second code form on the page: the first one has the focus
            self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) not in (6, 8):
            raise ValidationError(_("Enter the six digits shown in the app."))
        return token

    def apply_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class VerifyTokenForm(TokenForm):
    """The second step of signing in: a code from the app, or one of the user's
    recovery codes (eight letters and digits, shown as "abcd-efgh")."""

    token = forms.CharField(
        label=_("Code from the authenticator app or a recovery code"),
        help_text=_("Six digits from the app, or one of your recovery codes (each works once)."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split()).replace("-", "").lower()
        if token.isdigit() and len(token) in (6, 8):
            return token
        if len(token) == 8 and token.isalnum() and token.isascii():
            return token  # a recovery code
        raise ValidationError(_("Enter the six digits shown in the app, or a recovery code."))


# Administration forms. They collect and shape the input; the rules (a role that
# needs an institution, an active institution, a free user name or code, never one's
# own access) are the services'. The new-account and institution forms run the
# services' checks in clean() (the form pattern: thb.core.forms.FormPattern), so the
# fields' errors and the rules' come back in one round; what the services still refuse
# on saving comes back as field errors through `apply_service_error`.


class ServiceErrorsMixin(FormPattern, forms.Form):
    def failed_fields(self, data: dict[str, Any]) -> list[str]:
        """The fields that did not parse (absent from the cleaned data)."""
        return [name for name in self.fields if name not in data]


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return f"{obj.display_name(current_language())} ({obj.code})"


def _institution_field() -> InstitutionChoiceField:
    return InstitutionChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.filter(active=True).order_by("name"),
        required=False,
        help_text=_(
            "Required for caseworkers, commission members, process directors and reporters."
        ),
    )


class UserAccessForm(ServiceErrorsMixin):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    institution = _institution_field()


class UserChangeForm(UserAccessForm):
    """An existing account's role and institution, changed together in one round: the
    form's and the service's errors (user_update_check) all at once."""

    def __init__(self, *args: Any, actor: User, account: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.account = actor, account

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.user_update_check(
            actor=self.actor,
            user=self.account,
            role=data.get("role") or self.account.role,
            institution=data.get("institution"),
            is_active=self.account.is_active,
            skip=self.failed_fields(data),
            errors=errors,
        )


class UserCreateForm(UserAccessForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Surname"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    field_order = ["username", "first_name", "last_name", "email", "role", "institution"]

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.user_create_check(
            username=data.get("username") or "",
            role=data.get("role") or "",
            institution=data.get("institution"),
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
            email=data.get("email") or "",
            skip=self.failed_fields(data),
            errors=errors,
        )


class InstitutionForm(ServiceErrorsMixin):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short stable name used in files and links, e.g. “vdi”."),
    )
    # Then one name per profile language (`names_<code>`: language_map_fields).
    kind = forms.ChoiceField(label=_("Kind"), choices=institution_kind_choices)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, institution: Institution | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution = institution
        kind, active = self.fields.pop("kind"), self.fields.pop("active")
        language_map_fields(
            self,
            "names",
            pgettext_lazy("institution", "Name"),
            kind=NAME_LENGTH,
            required=True,
            initial=institution.names if institution else None,
        )
        self.fields.update({"kind": kind, "active": active})

    def cleaned_values(self) -> dict[str, Any]:
        """What institution_save takes."""
        data = self.cleaned_data
        return {
            "code": data["code"],
            "names": language_map_data(data, "names"),
            "kind": data["kind"],
            "active": data["active"],
        }

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.institution_check(
            code=data.get("code") or "",
            names=language_map_data(data, "names"),
            kind=data.get("kind") or "",
            active=bool(data.get("active")),
            institution=self.institution,
            skip=self.failed_fields(data),
            errors=errors,
        )


class SetupPasswordForm(SetPasswordForm):
    """Django's form: the two entries must match and pass AUTH_PASSWORD_VALIDATORS."""
