"""Writes with a browser session need the CSRF token: the pages (Django's middleware)
and the API (django-ninja's session auth checks CSRF on unsafe methods)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

API_WRITE = "/api/v1/support/plans/NOPE2345/services"
PAYLOAD = {
    "delivered_on": "2020-03-03",
    "service": "psychologist",
    "specialist_role": "psychologist",
    "hours": "1",
    "cost_eur": "20",
}


def _session(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_an_api_write_without_the_csrf_token_is_refused(owner):
    response = _session(owner).post(API_WRITE, PAYLOAD, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_an_api_write_with_the_csrf_token_reaches_the_endpoint(owner):
    client = _session(owner)
    client.get(reverse("victims:case_list"))  # the page sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        API_WRITE, PAYLOAD, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 404  # past the CSRF check: no such case


def test_a_page_write_without_the_csrf_token_is_refused(owner):
    response = _session(owner).post(reverse("victims:case_create"), {"intake_date": "2020-01-01"})
    assert response.status_code == 403
