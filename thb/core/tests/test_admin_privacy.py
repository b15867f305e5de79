"""The administrator manages institutions and accounts; the Django admin must not open a
victim's records (support plans, services, compensation, residence steps), which only
the scoped and audited pages may show."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import Client

from thb.accounts.models import Institution, Role, User

PERSON_RECORD_MODELS = [
    "victims.person",
    "victims.personidentity",
    "victims.case",
    "support.rehabilitationplan",
    "support.plannedservice",
    "support.servicedelivery",
    "support.statecompensation",
    "residence.residencetrack",
    "residence.deadline",
    "residence.permitrequest",
    "residence.residencepermit",
    "justice.injuredparty",
]


def test_no_person_record_is_registered_in_the_django_admin() -> None:
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered.isdisjoint(PERSON_RECORD_MODELS), registered & set(PERSON_RECORD_MODELS)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/support/statecompensation/",
        "/admin/support/servicedelivery/",
        "/admin/support/rehabilitationplan/",
        "/admin/residence/residencetrack/",
        "/admin/residence/permitrequest/",
    ],
)
def test_it_refuses_the_administrator_a_person_record_in_the_admin(
    make_user: Callable[..., User], ministry: Institution, url: str
) -> None:
    administrator = make_user("admin", Role.ADMINISTRATOR, ministry)
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client = Client()
    client.force_login(administrator)
    assert client.get(url).status_code == 404
