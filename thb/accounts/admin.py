"""The Django admin for institutions and accounts. Every change goes through
thb.accounts.services, so it is validated the same way and written to the hash-chained
audit log (not only to Django's editable admin log). Nothing is deleted: institutions
and accounts are deactivated, because records and the audit trail refer to them. No one
can change their own role or institution here: the form shows the service's refusal."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts import services
from thb.accounts.models import NAME_LENGTH, Institution, User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core.forms import add_service_errors, language_map_data, language_map_fields
from thb.core.languages import languages

# With one name per profile language (`names_<code>`) after the code.
INSTITUTION_FIELDS = ("code", "kind", "active")


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class InstitutionAdminForm(forms.ModelForm):
    """The institution's fields and its name in each of the profile's languages,
    checked by the service's own rules (institution_check) before save_model."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language_map_fields(
            self,
            "names",
            gettext_lazy("name"),
            kind=NAME_LENGTH,
            required=True,
            initial=self.instance.names if self.instance.pk else None,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.institution_check(
                code=data.get("code") or "",
                names=language_map_data(data, "names"),
                kind=data.get("kind") or "",
                active=bool(data.get("active")),
                institution=self.instance if self.instance.pk else None,
                skip=[name for name in self.fields if name not in data],
            )
        except ValidationError as exc:
            add_service_errors(self, exc, skip_failed=True)
        return data


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    form = InstitutionAdminForm
    list_display = ["code", "shown_name", "kind", "is_active"]

    @admin.display(description=gettext_lazy("name"), ordering="name")
    def shown_name(self, obj: Institution) -> str:
        return str(obj)  # in the page's language

    @admin.display(description=gettext_lazy("active"), ordering="active")
    def is_active(self, obj: Institution) -> str:
        # In words: Django's yes/no icon says "True"/"False" in every language.
        return str(gettext_lazy("yes") if obj.active else gettext_lazy("no"))

    list_filter = ["kind", "active"]
    # `name`: the name in the country's language (derived from `names`).
    search_fields = ["code", "name"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        names = [f"names_{code}" for code in languages()]
        return [(None, {"fields": [INSTITUTION_FIELDS[0], *names, *INSTITUTION_FIELDS[1:]]})]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        # The model's fields; the names are the form's own (InstitutionAdminForm).
        return super().get_form(request, obj, change, **{**kwargs, "fields": INSTITUTION_FIELDS})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # users and records refer to it: untick "active" instead

    def save_model(self, request: HttpRequest, obj: Institution, form: Any, change: bool) -> None:
        saved = services.institution_save(
            actor=_actor(request),
            institution=obj if change else None,
            request=request,
            names=language_map_data(form.cleaned_data, "names"),
            **{name: form.cleaned_data[name] for name in INSTITUTION_FIELDS},
        )
        obj.pk, obj._state = saved.pk, saved._state


class TOTPDeviceInline(admin.TabularInline):
    """The user's authenticator apps. An administrator resets a lost phone by deleting
    the device here; the user then enrols a new one. The secret is never shown."""

    model = TOTPDevice
    # Shown through THB's own columns: django-otp's field names and help texts are
    # English only.
    fields = ("device_name", "device_confirmed", "device_created", "device_last_used")
    readonly_fields = fields
    extra = 0
    can_delete = True
    verbose_name = gettext_lazy("authenticator app (two-factor)")
    verbose_name_plural = gettext_lazy("authenticator apps (two-factor)")

    @admin.display(description=gettext_lazy("Name of the device"))
    def device_name(self, obj: TOTPDevice) -> str:
        return str(obj.name)

    @admin.display(description=gettext_lazy("Confirmed"), boolean=True)
    def device_confirmed(self, obj: TOTPDevice) -> bool:
        return bool(obj.confirmed)

    @admin.display(description=gettext_lazy("Enrolled at"))
    def device_created(self, obj: TOTPDevice) -> Any:
        return obj.created_at

    @admin.display(description=gettext_lazy("Last used at"))
    def device_last_used(self, obj: TOTPDevice) -> Any:
        return obj.last_used_at

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # users enrol themselves, so that only they ever see the secret


class UserChangeChecks(forms.ModelForm):
    """Runs the service's rules of an account change in the form, so that a refused
    change (one's own role, for one) is shown at the field instead of failing later."""

    actor: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None and not self.errors:
            try:
                services.user_update_check(
                    actor=self.actor,
                    user=self.instance,
                    role=cleaned.get("role", self.instance.role),
                    institution=cleaned.get("institution"),
                    is_active=cleaned.get("is_active", True),
                    is_staff=cleaned.get("is_staff"),
                )
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    self.add_error(name if name in self.fields else None, errors)
        return cleaned


class UserCreationWithAccess(AdminUserCreationForm):
    """The account, its role and its institution in one step."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "role", "institution")


@admin.register(User)
class THBUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "institution", "role", "active"]

    @admin.display(description=gettext_lazy("active"), ordering="is_active")
    def active(self, obj: User) -> str:
        # In words: Django's yes/no icon says "True"/"False" in every language.
        return str(gettext_lazy("yes") if obj.is_active else gettext_lazy("no"))

    list_filter = ["role", "institution", "is_active"]
    # No superuser flag, groups or permissions here: THB's access follows the role.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        ("THB", {"fields": ("institution", "role")}),
        (gettext_lazy("Permissions"), {"fields": ("is_active", "is_staff")}),
        (gettext_lazy("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    add_form = UserCreationWithAccess
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "role",
                    "institution",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    inlines = [TOTPDeviceInline]
    actions = ["deactivate_users"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        return type("UserChangeForm", (UserChangeChecks, form), {"actor": _actor(request)})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the audit trail and records refer to accounts: deactivate instead

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor = _actor(request)
        if not change:
            password = form.cleaned_data.get("password1")
            usable = form.cleaned_data.get("set_usable_password", True)
            created = services.user_create(
                actor=actor,
                username=obj.username,
                role=obj.role,
                institution=obj.institution,
                password=password if usable else None,
                request=request,
            )
            obj.pk, obj._state = created.pk, created._state
            return
        original = User.objects.get(pk=obj.pk)
        if obj.role != original.role or obj.institution_id != original.institution_id:
            services.user_assign(
                actor=actor,
                user=original,
                role=obj.role,
                institution=obj.institution,
                request=request,
            )
        if obj.is_active != original.is_active:
            change_active = services.user_reactivate if obj.is_active else services.user_deactivate
            change_active(actor=actor, user=original, request=request)
        services.user_update_details(
            actor=actor,
            user=original,
            values={name: getattr(obj, name) for name in services.USER_DETAIL_FIELDS},
            request=request,
        )

    @admin.action(description=gettext_lazy("Deactivate the selected accounts"))
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            try:
                services.user_deactivate(actor=_actor(request), user=user, request=request)
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{user.get_username()}: {text}", messages.ERROR)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit_record(
                actor=_actor(request),
                action=Action.UPDATE,
                object_type="accounts.user",
                object_id=str(id),
                details={"password": "set_by_administrator"},
                request=request,
            )
        return response

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is TOTPDevice:
            if (
                formset.deleted_objects
                and not TOTPDevice.objects.filter(user=form.instance).exists()
            ):
                # Without an authenticator the recovery codes go too: the new device
                # comes with new codes.
                StaticDevice.objects.filter(user=form.instance).delete()
            for device in formset.deleted_objects:
                audit_record(
                    actor=_actor(request),
                    action=Action.UPDATE,
                    target=form.instance,
                    details={"otp": "reset", "device": device.pk},
                    request=request,
                )


# The django-otp admin of devices would show an authenticator's secret (its QR code) to
# the administrator, who could then pass someone else's second step, and its recovery
# codes in clear. Resets are done in the user's page above; users enrol (and see their
# QR code) on THB's own page, /accounts/two-factor/.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
