"""The API answers errors in JSON in every mode, without tracebacks, and refuses
numbers out of range with 422 instead of failing with 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

DEBUG_MODES = pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])


def _json_detail(response) -> object:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    text = response.content.decode()
    assert "Traceback" not in text
    return response.json()["detail"]


@DEBUG_MODES
def test_not_signed_in_is_401_json(db, settings, debug):
    settings.DEBUG = debug
    response = Client().get("/api/v1/cases/")
    assert response.status_code == 401
    assert _json_detail(response) == "Unauthorized"


@DEBUG_MODES
def test_permission_denied_inside_an_endpoint_is_403_json(
    client_for, coordinator, settings, debug, monkeypatch
):
    settings.DEBUG = debug

    def refuse(year: int) -> None:
        # As a service or selector refuses deep inside an operation.
        raise PermissionDenied

    monkeypatch.setattr("thb.activities.api.activity_figures", refuse)
    response = client_for(coordinator).get("/api/v1/activities/figures/2020")
    assert response.status_code == 403
    assert _json_detail(response) == "You may not do this."


@DEBUG_MODES
def test_a_role_refused_by_the_policy_is_403_json(client_for, owner, settings, debug):
    settings.DEBUG = debug
    response = client_for(owner).get("/api/v1/activities/figures/2020")  # coordinator only
    assert response.status_code == 403
    assert isinstance(_json_detail(response), str)


@DEBUG_MODES
def test_http404_inside_an_endpoint_is_404_json_without_details(
    client_for, coordinator, settings, debug
):
    settings.DEBUG = debug
    response = client_for(coordinator).get("/api/v1/activities/no-such-type/")
    assert response.status_code == 404
    assert _json_detail(response) == "Not found."


@DEBUG_MODES
def test_an_unreadable_body_is_400_json(client_for, owner, settings, debug):
    settings.DEBUG = debug
    response = client_for(owner).post(
        "/api/v1/support/compensations", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "Cannot parse request body" in str(_json_detail(response))


@DEBUG_MODES
@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("owner", "/api/v1/cases/?year=99999999999999999999"),
        ("owner", "/api/v1/cases/?limit=99999999999999999999"),
        ("owner", "/api/v1/cases/?limit=0"),
        ("owner", "/api/v1/cases/?cursor=not-a-cursor"),
        ("owner", "/api/v1/cases/?year=abc"),
        ("coordinator", "/api/v1/reports/figures/0"),
        ("coordinator", "/api/v1/reports/figures/-5"),
        ("coordinator", "/api/v1/reports/figures/99999"),
        ("coordinator", "/api/v1/reports/figures/99999999999999999999"),
        ("coordinator", "/api/v1/activities/figures/99999"),
        ("coordinator", "/api/v1/activities/detection/?limit=99999999999999999999"),
        ("coordinator", "/api/v1/justice/proceedings?cursor=eyJ2IjpbXX0"),
        ("owner", "/api/v1/residence/deadlines?cursor=x"),
        ("coordinator", "/api/v1/activities/detection/?year=1"),
        ("coordinator", "/api/v1/justice/proceedings?year=99999999999999999999"),
        ("coordinator", "/api/v1/support/funding/99999999999999999999"),
    ],
)
def test_out_of_range_parameters_are_422(request, client_for, settings, debug, user, url):
    settings.DEBUG = debug
    response = client_for(request.getfixturevalue(user)).get(url)
    assert response.status_code == 422, response.content[:300]
    _json_detail(response)


@DEBUG_MODES
def test_a_fault_is_500_json_without_a_traceback(
    client_for, coordinator, settings, debug, monkeypatch
):
    settings.DEBUG = debug

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("thb.reports.api.figures_for", broken)
    client = client_for(coordinator)
    client.raise_request_exception = False
    response = client.get("/api/v1/reports/figures/2020")
    assert response.status_code == 500
    assert _json_detail(response) == "Internal server error."
    assert "secret internals" not in response.content.decode()


def test_an_overflow_below_the_bounds_is_422_not_500(client_for, coordinator, monkeypatch):
    def overflowing(*args: object, **kwargs: object) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr("thb.reports.api.figures_for", overflowing)
    response = client_for(coordinator).get("/api/v1/reports/figures/2020")
    assert response.status_code == 422
    assert _json_detail(response) == "A value is out of range."


def test_a_year_in_range_still_answers(client_for, coordinator):
    assert client_for(coordinator).get("/api/v1/reports/figures/2020").status_code == 200
    assert (
        client_for(coordinator).get("/api/v1/activities/detection/?year=2020&limit=10").status_code
        == 200
    )
