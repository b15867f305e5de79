"""Pages for the second sign-in factor: enrolling an authenticator app, switching it
off, and entering a code after the password."""

from __future__ import annotations

from typing import cast

import django_otp
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from thb.accounts import services
from thb.accounts.forms import TokenForm
from thb.accounts.models import User
from thb.accounts.selectors import otp_device_for, otp_secret_text, otp_uri


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


@never_cache  # the page shows the secret
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = otp_device_for(actor=user)
    if device is not None:
        return render(request, "accounts/otp_status.html", {"device": device, "form": TokenForm()})
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
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request))
    pending = services.otp_enrolment_start(actor=user)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": otp_secret_text(pending),
            "uri": otp_uri(pending),
            "next": _next_url(request),
        },
    )


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
    return render(request, "accounts/otp_status.html", {"device": device, "form": form})


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if otp_device_for(actor=user) is None:
        return redirect("accounts:otp_setup")
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
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
