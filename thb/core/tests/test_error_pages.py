"""THB runs with DEBUG off unless told otherwise, and shows its own error pages: in
Latvian or English, with a way back, never Django's URL list or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import translation

from thb.core.views import server_error

ROOT = Path(__file__).resolve().parents[3]


def _explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals of the failing view")


def _deny(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("secret reason for the bad request")


# A URL configuration with three throw-away views besides THB's own routes.
urlpatterns = [
    path("test-explode/", _explode),
    path("test-deny/", _deny),
    path("test-bad/", _suspicious),
    path("", include("thb.urls")),
]
handler400 = "thb.core.views.bad_request"
handler403 = "thb.core.views.permission_denied"
handler404 = "thb.core.views.page_not_found"
handler500 = "thb.core.views.server_error"


@pytest.fixture
def crash_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if not k.startswith("THB_")}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    for extra, expected in (({}, "False"), ({"THB_DEBUG": "true"}, "True")):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "thb.settings", **extra},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    ("language", "text"), [("lv", "Lapa nav atrasta"), ("en", "Page not found")]
)
def test_404_is_thbs_page_in_the_users_language(client_for, owner, settings, language, text):
    settings.DEBUG = False
    response = client_for(owner, language=language).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert text in page
    assert 'href="/"' in page  # the way back
    assert "thb.css" in page  # styled like every page
    assert "URLconf" not in page and "urlpatterns" not in page


def test_404_for_anonymous_visitors_too(db, settings):
    settings.DEBUG = False
    page = Client().get("/no-such-page/").content.decode()
    assert "Lapa nav atrasta" in page


def test_500_shows_no_traceback(db, crash_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/test-explode/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Kaut kas nogāja greizi" in page
    assert 'href="/"' in page
    assert "secret internals" not in page and "Traceback" not in page


def test_500_in_english(db, crash_urls):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    page = client.get("/test-explode/").content.decode()
    assert "Something went wrong" in page


def _is_thbs_layout(page: str) -> bool:
    """THB's stylesheet, its header and a link back to the start page."""
    return "thb.css" in page and 'class="brand"' in page and 'href="/"' in page


@pytest.mark.parametrize(("language", "text"), [("lv", "Piekļuve liegta"), ("en", "Access denied")])
def test_403_is_thbs_page(client_for, owner, crash_urls, language, text):
    response = client_for(owner, language=language).get("/test-deny/")
    assert response.status_code == 403
    page = response.content.decode()
    assert text in page
    assert _is_thbs_layout(page)
    assert "Forbidden" not in page


@pytest.mark.parametrize(
    ("language", "text", "other"),
    [
        ("lv", "Veidlapas derīgums ir beidzies", "The form has expired"),
        ("en", "The form has expired", "Veidlapas derīgums ir beidzies"),
    ],
)
def test_csrf_failure_is_thbs_page(client_for, owner, settings, language, text, other):
    """A form sent without its token: THB's page in the user's language, not Django's
    bare English "403 Forbidden", and in every mode (DEBUG on shows no reason either)."""
    for debug in (False, True):
        settings.DEBUG = debug
        client = client_for(owner, language=language)
        client.handler.enforce_csrf_checks = True
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert response.status_code == 403
        page = response.content.decode()
        assert text in page and other not in page
        assert _is_thbs_layout(page)
        assert "Forbidden" not in page and "CSRF" not in page


@pytest.mark.parametrize(
    ("language", "text"),
    [("lv", "Pieprasījumu nevarēja nolasīt"), ("en", "The request could not be read")],
)
def test_400_is_thbs_page(db, crash_urls, language, text):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    response = client.get("/test-bad/")
    assert response.status_code == 400
    page = response.content.decode()
    assert text in page
    assert _is_thbs_layout(page)
    assert "secret reason" not in page and "Bad Request" not in page


@pytest.mark.parametrize(
    ("language", "text"), [("lv", "Kaut kas nogāja greizi"), ("en", "Something went wrong")]
)
def test_500_page_renders_without_database_or_request_context(language, text):
    """No db fixture: pytest-django fails any query, so the page reads no database; the
    template gets no request, so no context processor (user, navigation) runs."""
    request = RequestFactory().get("/somewhere/")
    with translation.override(language):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert text in page
    assert f'lang="{language}"' in page
    assert _is_thbs_layout(page)


def test_api_paths_without_a_route_answer_json(db, settings):
    settings.DEBUG = False
    response = Client().get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_static_files_are_served_with_debug_off(db, settings):
    settings.DEBUG = False
    response = Client().get("/static/thb/thb.css")
    assert response.status_code == 200
    assert b"error-page" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
