"""THB runs with DEBUG off unless told otherwise, and shows its own error pages: in
Latvian or English, with a way back, never Django's URL list or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

ROOT = Path(__file__).resolve().parents[3]


def _explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals of the failing view")


def _deny(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


# A URL configuration with two throw-away views besides THB's own routes.
urlpatterns = [
    path("test-explode/", _explode),
    path("test-deny/", _deny),
    path("", include("thb.urls")),
]
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


def test_403_is_thbs_page(client_for, owner, crash_urls):
    response = client_for(owner, language="en").get("/test-deny/")
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


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
