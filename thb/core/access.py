"""The gate in front of a view: a logged-in user for whom a rule of the app's policy
(`thb/<app>/policy.py`) holds. Object-level scoping lives in each app's access helper
(`<entity>_get_for_user`), which asks the same policy."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def allowed_if(rule: Callable[[Any], bool]) -> Callable[[View], View]:
    """Logged-in users for whom the policy's `rule(user)` holds pass; others get 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
