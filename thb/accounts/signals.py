"""Sign-ins and sign-outs are audited like any other access."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from thb.audit.models import Action
from thb.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.LOGIN, request=request)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=Action.LOGOUT, request=request)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    if credentials.get("otp"):
        return  # a wrong second-factor code: audited with its actor by otp_verify
    # The username tried is kept (not the password) so that attacks can be seen.
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        details={"username": str(credentials.get("username", ""))[:150]},
        request=request,
    )
