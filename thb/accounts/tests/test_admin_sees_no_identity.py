"""The administrator role never sees a victim's identity. With the demo data, the demo
`admin` requests every page of the URL resolver (each pattern filled with the demo's
case codes, record ids, slugs and years), every model page of the Django admin and
every GET operation of the API, and no answer contains a demo victim's name, phone or
date of birth. Nor can the admin escalate by giving itself a caseworker's role."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from thb.accounts.models import Institution, Role, User
from thb.victims.models import Case, PersonIdentity

pytestmark = pytest.mark.django_db


def _named_patterns(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    """(namespaced name, parameter names) of every named URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


def _parameter_values() -> dict[str, list[Any]]:
    from thb.activities.record_types import TYPES
    from thb.interop.models import Submission
    from thb.interop.registry import registered
    from thb.justice.models import Proceeding
    from thb.residence.models import PermitRequest

    cases = list(Case.objects.order_by("id"))
    # A few of every kind: the first, one with a plan, one with a residence track.
    chosen = {cases[0], cases[-1]}
    chosen |= set(Case.objects.filter(support_plan__isnull=False)[:1])
    chosen |= set(Case.objects.filter(residence_track__isnull=False)[:1])
    pks = {1}
    for model in (Proceeding, PermitRequest, Submission):
        first = model.objects.order_by("pk").first()
        if first is not None:
            pks.add(first.pk)
    for record_type in TYPES.values():
        record = record_type.model._default_manager.order_by("pk").first()
        if record is not None:
            pks.add(record.pk)
    return {
        "code": [case.person.code for case in chosen],
        "pk": sorted(pks),
        "slug": list(TYPES),
        "name": list(registered()),
        "year": [2020],
    }


def _urls() -> list[str]:
    values = _parameter_values()
    urls: set[str] = set()
    for name, parameters in _named_patterns(get_resolver().url_patterns):
        if name.startswith("admin:") or any(p not in values for p in parameters):
            continue
        for combination in itertools.product(*(values[p] for p in parameters)):
            try:
                urls.add(reverse(name, kwargs=dict(zip(parameters, combination, strict=True))))
            except NoReverseMatch:
                continue
    return sorted(urls)


def _admin_urls(administrator: User) -> list[str]:
    urls = ["/admin/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, base + "add/"]
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:3]:
            urls += [f"{base}{pk}/change/", f"{base}{pk}/history/"]
    urls.append(f"/admin/accounts/user/{administrator.pk}/password/")
    return urls


def _api_urls() -> list[str]:
    from thb.api import api

    schema = api.get_openapi_schema()
    values = _parameter_values()
    urls = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        parameters = [
            p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "path"
        ]
        for combination in itertools.product(*(values.get(p, [1]) for p in parameters)):
            url = path
            for parameter, value in zip(parameters, combination, strict=True):
                url = url.replace("{" + parameter + "}", str(value))
            urls.append(url)
    return urls


def _identities() -> list[str]:
    found = []
    for identity in PersonIdentity.objects.all():
        found += [identity.surname, identity.phone, identity.personal_code]
        if identity.given_names and identity.surname:
            found.append(f"{identity.given_names} {identity.surname}")
        if identity.date_of_birth:
            found.append(identity.date_of_birth)
    return [value for value in found if value and len(value) >= 4]


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


@pytest.mark.usefixtures("demo")
def test_the_demo_admin_gets_no_identity_from_any_page_or_endpoint() -> None:
    administrator = User.objects.get(username="admin")
    assert administrator.role == Role.ADMINISTRATOR and administrator.is_superuser
    identities = _identities()
    assert len(identities) > 100, "the demo no longer has identities to look for"
    client = Client()
    client.force_login(administrator)
    urls = _urls() + _admin_urls(administrator) + _api_urls()
    assert len(urls) > 150
    answered = 0
    leaks: list[str] = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        answered += 1
        body = _body(response)
        leaks += [f"{url}: {value!r}" for value in identities if value in body]
    assert not leaks, leaks[:20]
    assert answered > 40  # the admin pages, lists and statistics it may open


@pytest.mark.usefixtures("demo")
def test_the_demo_admin_cannot_make_itself_a_caseworker_at_a_provider() -> None:
    administrator = User.objects.get(username="admin")
    marta = Institution.objects.get(code="marta")
    client = Client()
    client.force_login(administrator)
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/admin/accounts/user/{administrator.pk}/change/",
        {
            "username": "admin",
            "role": Role.CASEWORKER,
            "institution": marta.pk,
            "is_active": "on",
            "is_staff": "on",
            "totpdevice_set-TOTAL_FORMS": "0",
            "totpdevice_set-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "No one can change their own role or institution" in _body(response)
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR
    assert administrator.institution.code == "iem"  # type: ignore[union-attr]
    # Still no case for the admin.
    case = Case.objects.filter(institution=marta).first()
    assert case is not None
    assert client.get(f"/cases/{case.person.code}/").status_code in (403, 404)
