from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from thb.core.registry import dashboard_sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page: the dashboard of the user's role (each app's sections, declared
    with register_dashboard) above the links to every area the user may open."""
    sections = dashboard_sections(actor=request.user, today=timezone.localdate())
    return render(request, "core/home.html", {"dashboard": sections})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Error pages. THB's own, in the user's language, with a way back; JSON under the API's
# path (the API's own errors come from thb/api.py; these cover paths no API route
# matched). Django calls them with DEBUG off, which is every mode unless THB_DEBUG=true.

API_PATH = "/api/"


def _api_error(request: HttpRequest, status: int, detail: str) -> HttpResponse | None:
    if request.path_info.startswith(API_PATH):
        return JsonResponse({"detail": detail}, status=status)
    return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 400, "Bad request.") or render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 403, "You may not do this.") or render(
        request, "403.html", status=403
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without its token, or with an expired one. The
    reason (Django's English sentence) goes to the log only, never on the page. Django
    Ninja's API views are exempt from the middleware's check, so only pages come here."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 404, "Not found.") or render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors: whatever failed (the database, a context
    processor) must not fail the error page too."""
    api = _api_error(request, 500, "Internal server error.")
    if api is not None:
        return api
    return HttpResponseServerError(loader.get_template("500.html").render())
