"""The JSON API under /api/v1/ (django-ninja; OpenAPI at /api/v1/docs).

Each domain app adds its router here. Session authentication for the browser;
institutions' systems use the same accounts.

Errors are JSON in every mode, `{"detail": ...}`, never a traceback or an HTML page:
400 unreadable request, 401 not signed in, 403 not allowed, 404 no such resource (or
not the caller's), 422 invalid or out-of-range input, 500 a fault (logged).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.security import django_auth

logger = logging.getLogger("thb.api")

api = NinjaAPI(
    title="THB API",
    version="1",
    description="Counter-trafficking information system: victims, support, justice, "
    "prevention and the annual report. Every endpoint is scoped to the caller's role "
    "and institution.",
    auth=django_auth,
    urls_namespace="api",
    # Without deep links: Swagger UI puts each operation's link inside the button that
    # opens it (a control nested in a control, which screen readers cannot reach).
    docs=Swagger(settings={"deepLinking": False}),
)


def json_error(request: HttpRequest, status: int, detail: object) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return json_error(request, 403, "You may not do this.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Never the exception's text: it may name the model or the id looked for.
    return json_error(request, 404, "Not found.")


@api.exception_handler(DjangoValidationError)
def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return json_error(request, 422, detail)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A number the database cannot hold: the parameter bounds (thb.core.params) should
    # have refused it; this is the net under them.
    logger.warning("API input out of range at %s: %s", request.path, exc)
    return json_error(request, 422, "A value is out of range.")


@api.exception_handler(Exception)
def _fault(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("API fault at %s", request.path, exc_info=exc)
    # As Django does for pages: error reporting (and the test client) hear of it.
    got_request_exception.send(sender=None, request=request)
    return json_error(request, 500, "Internal server error.")


def _add_routers() -> None:
    from thb.activities.api import router as activities_router
    from thb.justice.api import router as justice_router
    from thb.linkage.api import router as linkage_router
    from thb.referrals.api import router as referrals_router
    from thb.reports.api import router as reports_router
    from thb.residence.api import router as residence_router
    from thb.returns.api import router as returns_router
    from thb.support.api import router as support_router
    from thb.victims.api import router as victims_router

    api.add_router("/cases", victims_router)
    api.add_router("/activities", activities_router)
    api.add_router("/justice", justice_router)
    api.add_router("/referrals", referrals_router)
    api.add_router("/linkage", linkage_router)
    api.add_router("/reports", reports_router)
    api.add_router("/residence", residence_router)
    api.add_router("/returns", returns_router)
    api.add_router("/support", support_router)


_add_routers()
