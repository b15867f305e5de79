"""Two-factor sign-in, enforced for every request.

A user who has enrolled an authenticator app must enter a code after the password
before anything else is served (django_otp marks the session as verified). With
THB_REQUIRE_2FA on, or for an account that must have one (`two_factor_required`: set
by its set-up link), a user without an authenticator is first sent to enrol one.
Must come after django_otp's OTPMiddleware (which sets `user.is_verified`) and after
MessageMiddleware."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.accounts.selectors import otp_has_device


class OTPRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._gate(request)
        return response if response is not None else self.get_response(request)

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if getattr(user, "is_verified", None) is not None and user.is_verified():
            return None
        path = request.path_info
        # Always reachable: leaving, switching the language, and static files.
        static = "/" + str(settings.STATIC_URL).lstrip("/")
        if path.startswith((reverse("accounts:logout"), reverse("set_language"), static)):
            return None
        if otp_has_device(actor=cast(User, user)):
            if path == reverse("accounts:otp_verify"):
                return None
            return self._refuse(
                request,
                "accounts:otp_verify",
                _("Enter the code from your authenticator app to continue."),
            )
        if not (
            getattr(settings, "THB_REQUIRE_2FA", False)
            or getattr(user, "two_factor_required", False)
        ):
            return None
        if path == reverse("accounts:otp_setup"):
            return None
        return self._refuse(
            request,
            "accounts:otp_setup",
            _("Two-factor authentication is required: set up an authenticator app first."),
        )

    def _refuse(self, request: HttpRequest, url_name: str, message: str) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        target = reverse(url_name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            # htmx would swap the page into a fragment; make it navigate instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
