"""Every statistics page, the report page and the submissions overview open on the
latest year with records, and every year with records is in their year lists."""

import pytest
from django.urls import reverse
from django.utils import timezone

from thb.accounts.models import User
from thb.core import years
from thb.core.registry import registry


@pytest.mark.django_db
def test_without_records_the_pages_open_on_the_last_complete_year():
    assert years.record_years() == set()
    assert years.default_year() == timezone.localdate().year - 1


@pytest.mark.django_db
def test_the_years_of_every_app_are_joined(monkeypatch):
    monkeypatch.setattr(registry, "record_years", [lambda: {2018, 2020}, lambda: {2016}])
    assert years.record_years() == {2016, 2018, 2020}
    assert years.default_year() == 2020
    assert years.year_choices() == [2020, 2018, 2016]
    assert years.year_list(2023, None) == [2023, 2020, 2018, 2016]


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_demo_opens_on_its_latest_year_with_records(client_for):
    # The demo's story: the 2020 report, written early in 2021, when the first
    # victims of 2021 had already been recognised.
    latest = max(years.record_years())
    assert latest == 2021
    coordinator = User.objects.get(username="koordinators")
    client = client_for(coordinator)
    pages = [
        reverse("reports:statistics"),
        *(reverse("reports:topic_statistics", args=[t]) for t in ("support", "justice")),
        reverse("reports:topic_statistics", args=["activities"]),
        reverse("reports:annual"),
        reverse("interop:overview"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["year"] == latest, url
        assert 2020 in response.context["years"], url
        assert set(years.record_years()) <= set(response.context["years"]), url
    statistics = client.get(reverse("reports:statistics")).content.decode()
    assert '<option value="2021" selected>2021</option>' in statistics
    assert '<option value="2020">2020</option>' in statistics
    public = client_for(coordinator).get(reverse("reports:public_statistics"))
    assert public.context["year"] == latest
