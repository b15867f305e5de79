"""Pages for the second sign-in factor (enrolling an authenticator app, switching it
off, entering a code after the password), the one-time set-up link, and the
administrator's pages for accounts and institutions."""

from __future__ import annotations

from typing import Any, cast

import django_otp
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from thb.accounts import selectors, services
from thb.accounts.forms import (
    InstitutionForm,
    SetupPasswordForm,
    TokenForm,
    UserChangeForm,
    UserCreateForm,
    VerifyTokenForm,
)
from thb.accounts.models import Institution, User
from thb.accounts.policy import can_administer
from thb.accounts.selectors import (
    otp_device_for,
    otp_qr_svg,
    otp_secret_text,
    otp_uri,
    recovery_codes_left,
    recovery_device_for,
)
from thb.core.access import allowed_if
from thb.core.languages import current_language
from thb.profiles.loader import get_profile


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with the change written through the audited service."""

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        services.password_change(
            actor=_user(self.request),
            new_password=form.cleaned_data["new_password1"],
            request=self.request,
        )
        update_session_auth_hash(self.request, form.user)
        return redirect(self.get_success_url())


def _status_page(
    request: HttpRequest, device: Any, form: TokenForm, recovery_form: TokenForm
) -> HttpResponse:
    user = _user(request)
    recovery = recovery_device_for(actor=user)
    return render(
        request,
        "accounts/otp_status.html",
        {
            "device": device,
            "form": form,
            "recovery_form": recovery_form,
            "recovery_left": recovery_codes_left(actor=user) if recovery else None,
        },
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The only time the codes are ever shown."""
    return render(request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": next_url})


@never_cache  # the page shows the secret
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = otp_device_for(actor=user)
    if device is not None:
        return _status_page(request, device, TokenForm(), TokenForm(prefix="recovery"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_enable(
                actor=user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            # The user has just proved they hold the device: this session is verified.
            django_otp.login(request, device)
            codes = services.recovery_codes_generate(actor=user, request=request)
            messages.success(request, _("Two-factor authentication is on."))
            return _recovery_codes_page(request, codes, _next_url(request))
    pending = services.otp_enrolment_start(actor=user)
    uri = otp_uri(pending)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": otp_secret_text(pending),
            "uri": uri,
            "qr": otp_qr_svg(uri, _("QR code for your authenticator app")),
            "next": _next_url(request),
        },
    )


@never_cache  # the answer shows the new codes
@login_required
@require_POST
def otp_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, the old ones void. The current code from the app is
    required, as for switching two-factor off."""
    user = _user(request)
    device = otp_device_for(actor=user)
    if device is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST, prefix="recovery")
    if form.is_valid():
        if django_otp.verify_token(user, device.persistent_id, form.cleaned_data["token"]):
            codes = services.recovery_codes_generate(actor=user, request=request)
            return _recovery_codes_page(request, codes, reverse("accounts:otp_setup"))
        form.add_error("token", _("The code is not valid. Check the app and try again."))
    return _status_page(request, device, TokenForm(), form)


@never_cache
@login_required
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            services.otp_disable(actor=user, token=form.cleaned_data["token"], request=request)
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("accounts:otp_setup")
    device = otp_device_for(actor=user)
    if device is None:
        return redirect("accounts:otp_setup")
    return _status_page(request, device, form, TokenForm(prefix="recovery"))


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if otp_device_for(actor=user) is None:
        return redirect("accounts:otp_setup")
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    form = VerifyTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.otp_verify(request=request, token=form.cleaned_data["token"])
        if result is services.Verification.VERIFIED:
            return redirect(_next_url(request))
        if result is services.Verification.LOCKED:
            messages.error(request, _("Too many wrong codes. Log in again."))
            return redirect("accounts:login")
        if result is services.Verification.THROTTLED:
            form.add_error(
                "token", _("Too many attempts in a short time. Wait a minute and try again.")
            )
        else:
            form.add_error("token", _("The code is not valid. Check the app and try again."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


# The one-time set-up link: a new account's first password, then its authenticator.


@never_cache
@sensitive_post_parameters()
def setup_link(request: HttpRequest, token: str) -> HttpResponse:
    link = services.setup_link_open(token)
    if link is None:
        return render(request, "accounts/setup_link_invalid.html", status=404)
    form = SetupPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.setup_link_use(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as error:
            form.add_error("new_password1", error.messages)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Your password is set. Now set up two-factor authentication.")
            )
            # The middleware keeps the account on this page until an authenticator is enrolled.
            return redirect("accounts:otp_setup")
    return render(
        request,
        "accounts/setup_link.html",
        {"form": form, "account": link.user, "expires": link.expires_at},
    )


# Administration of accounts and institutions (the administrator only).

administrator_only = allowed_if(can_administer)


def _link_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("accounts:setup_link", args=[token]))


def _show_links(request: HttpRequest, links: list[tuple[User, str]]) -> HttpResponse:
    """The page that shows freshly issued links: the only time they are ever shown."""
    return render(
        request,
        "accounts/admin_links.html",
        {
            "links": [(user, _link_url(request, token)) for user, token in links],
            "hours": services.setup_link_hours(),
        },
    )


@administrator_only
def admin_users(request: HttpRequest) -> HttpResponse:
    awaiting = request.GET.get("awaiting") == "1"
    users = selectors.user_list(actor=_user(request), awaiting_setup=awaiting)
    pending = selectors.user_list(
        actor=_user(request), awaiting_setup=True, without_link=True
    ).count()
    return render(
        request,
        "accounts/admin_users.html",
        {"users": users, "awaiting": awaiting, "pending": pending},
    )


@never_cache  # the answer to a POST shows a set-up link
@administrator_only
def admin_user_new(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.user_create(
                    actor=_user(request),
                    username=data["username"],
                    role=data["role"],
                    institution=data["institution"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    two_factor_required=True,
                    request=request,
                )
                token = services.setup_link_issue(actor=_user(request), user=user, request=request)
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            return _show_links(request, [(user, token)])
    return render(request, "accounts/admin_user_new.html", {"form": form})


@administrator_only
def admin_user(request: HttpRequest, username: str) -> HttpResponse:
    actor = _user(request)
    account = selectors.user_get(actor=actor, username=username)
    initial = {"role": account.role, "institution": account.institution}
    form = UserChangeForm(request.POST or None, initial=initial, actor=actor, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_assign(
                actor=actor,
                user=account,
                role=form.cleaned_data["role"],
                institution=form.cleaned_data["institution"],
                request=request,
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("The role and institution are saved."))
            return redirect("accounts:admin_user", username=account.username)
    return render(
        request,
        "accounts/admin_user.html",
        {
            "account": account,
            "form": form,
            "awaiting_setup": not account.has_usable_password(),
            "open_link": selectors.user_open_setup_link(actor=actor, user=account),
            "has_device": otp_device_for(actor=account) is not None,
        },
    )


@administrator_only
@require_POST
def admin_user_active(request: HttpRequest, username: str) -> HttpResponse:
    actor = _user(request)
    account = selectors.user_get(actor=actor, username=username)
    change = (
        services.user_reactivate if request.POST.get("active") == "1" else services.user_deactivate
    )
    try:
        change(actor=actor, user=account, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The account is active.")
            if change is services.user_reactivate
            else _("The account is deactivated."),
        )
    return redirect("accounts:admin_user", username=account.username)


@never_cache
@administrator_only
@require_POST
def admin_user_link(request: HttpRequest, username: str) -> HttpResponse:
    actor = _user(request)
    account = selectors.user_get(actor=actor, username=username)
    try:
        token = services.setup_link_issue(actor=actor, user=account, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:admin_user", username=account.username)
    return _show_links(request, [(account, token)])


@never_cache
@administrator_only
@require_POST
def admin_links(request: HttpRequest) -> HttpResponse:
    """Set-up links for every account awaiting set-up that has no open link (after a
    users import); a link already handed out stays valid."""
    actor = _user(request)
    accounts = selectors.user_list(actor=actor, awaiting_setup=True, without_link=True)
    with transaction.atomic():
        links = [
            (account, services.setup_link_issue(actor=actor, user=account, request=request))
            for account in accounts
        ]
    return _show_links(request, links)


@administrator_only
def admin_institutions(request: HttpRequest) -> HttpResponse:
    language = current_language()
    kinds = [
        (kind.code, kind.label.get(language), kind.description.get(language))
        for kind in get_profile().institution_kinds
    ]
    return render(
        request,
        "accounts/admin_institutions.html",
        {"institutions": selectors.institution_list(actor=_user(request)), "kinds": kinds},
    )


def _institution_page(request: HttpRequest, institution: Institution | None) -> HttpResponse:
    initial = (
        {
            "code": institution.code,
            "kind": institution.kind,
            "active": institution.active,
        }
        if institution
        else {"active": True}
    )
    form = InstitutionForm(request.POST or None, initial=initial, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.institution_save(
                actor=_user(request),
                institution=institution,
                request=request,
                **form.cleaned_values(),
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("The institution is saved."))
            return redirect("accounts:admin_institution", code=saved.code)
    return render(
        request, "accounts/admin_institution.html", {"form": form, "institution": institution}
    )


@administrator_only
def admin_institution_new(request: HttpRequest) -> HttpResponse:
    return _institution_page(request, None)


@administrator_only
def admin_institution(request: HttpRequest, code: str) -> HttpResponse:
    return _institution_page(request, selectors.institution_get(actor=_user(request), code=code))
