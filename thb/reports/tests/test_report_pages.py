"""The annual report page (download by year, language, edition, format), the public
downloads, the chapter-text editor, freezing, and the figure catalogue: who may use
each, and every download audited."""

import json

import pytest
from django.urls import reverse

from thb.accounts.models import Role
from thb.audit.models import AuditEvent
from thb.reports.catalogue import catalogue
from thb.reports.models import ChapterText, ReportVersion

pytestmark = pytest.mark.django_db


def _downloads():
    return list(AuditEvent.objects.filter(object_type="reports.report", action="export"))


@pytest.fixture
def administrator(make_user, ministry):
    return make_user("admin", Role.ADMINISTRATOR, ministry)


def test_the_coordinator_downloads_the_internal_edition(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("reports:annual"), {"year": 2020})
    assert page.status_code == 200
    assert b'id="download"' in page.content
    response = client.get(
        reverse("reports:annual"),
        {"year": 2020, "language": "en", "edition": "internal", "format": "json"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and '.json"' in disposition
    data = json.loads(response.content)
    assert set(data["figures"]) == set(catalogue())
    [event] = _downloads()
    assert event.actor_username == "coordinator"
    assert event.details == {
        "year": 2020,
        "edition": "internal",
        "format": "json",
        "language": "en",
        "version": None,
    }


def test_an_administrator_downloads_too(client_for, administrator):
    response = client_for(administrator).get(
        reverse("reports:annual"),
        {"year": 2020, "language": "lv", "edition": "internal", "format": "json"},
    )
    assert response.status_code == 200
    assert len(_downloads()) == 1


def test_caseworkers_and_reporters_get_403(client_for, owner, outsider, auditor):
    query = {"year": 2020, "language": "lv", "edition": "internal", "format": "json"}
    for user in (owner, outsider, auditor):
        client = client_for(user)
        assert client.get(reverse("reports:annual")).status_code == 403
        assert client.get(reverse("reports:annual"), query).status_code == 403
        assert client.get(reverse("reports:catalogue")).status_code == 403
        assert client.get(reverse("reports:chapter_texts")).status_code == 403
        assert client.post(reverse("reports:freeze"), {"year": 2020}).status_code == 403
    assert _downloads() == []
    assert not ReportVersion.objects.exists()


def test_anyone_downloads_the_public_edition_and_only_it(client):
    response = client.get(
        reverse("reports:public_download"),
        {"year": 2020, "language": "en", "format": "json", "edition": "internal"},
    )
    assert response.status_code == 200
    assert set(json.loads(response.content)["figures"]) == set(catalogue())
    [event] = _downloads()
    assert event.actor is None
    assert event.details["edition"] == "public"
    assert event.details["language"] == "en"
    # The internal edition's page sends an anonymous visitor to log in.
    internal = client.get(
        reverse("reports:annual"),
        {"year": 2020, "language": "en", "edition": "internal", "format": "json"},
    )
    assert internal.status_code == 302 and "/accounts/login" in internal["Location"]
    assert len(_downloads()) == 1


def test_a_bad_download_request_names_the_field(client):
    response = client.get(reverse("reports:public_download"), {"year": 2020, "format": "doc"})
    assert response.status_code == 400
    assert b"format" in response.content
    assert _downloads() == []


def test_the_coordinator_edits_a_chapter_text(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("reports:chapter_texts"), {"year": 2020})
    assert page.status_code == 200
    assert b'id="text-victims-text"' in page.content
    response = client.post(
        reverse("reports:chapter_texts") + "?year=2020",
        {"chapter": "victims", "slot": "text", "texts_lv": "Teksts.", "texts_en": "Text."},
    )
    assert response.status_code == 302
    text = ChapterText.objects.get(year=2020, chapter="victims", slot="text")
    assert (text.texts, text.updated_by) == ({"lv": "Teksts.", "en": "Text."}, coordinator)


def test_an_unknown_slot_is_shown_as_an_error_and_saves_nothing(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("reports:chapter_texts") + "?year=2020",
        {"chapter": "weather", "slot": "text", "texts_lv": "X", "texts_en": ""},
    )
    assert response.status_code == 200
    assert "weather.text" in response.content.decode()
    assert not ChapterText.objects.exists()


def test_the_coordinator_freezes_a_version_and_sees_its_hash(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("reports:freeze"), {"year": 2020})
    assert response.status_code == 302
    version = ReportVersion.objects.get(year=2020)
    page = client.get(reverse("reports:annual"), {"year": 2020}).content.decode()
    assert version.content_hash in page
    frozen = client.get(
        reverse("reports:annual"),
        {"year": 2020, "language": "lv", "edition": "internal", "format": "json", "version": 1},
    )
    assert json.loads(frozen.content)["metadata"]["version"]["number"] == 1
    assert _downloads()[-1].details["version"] == 1


def test_an_administrator_may_not_edit_or_freeze(client_for, administrator):
    client = client_for(administrator)
    assert client.get(reverse("reports:chapter_texts")).status_code == 403
    assert client.post(reverse("reports:freeze"), {"year": 2020}).status_code == 403


def test_the_catalogue_lists_every_figure_with_how_it_is_counted(client_for, coordinator):
    response = client_for(coordinator, "en").get(reverse("reports:catalogue"))
    assert response.status_code == 200
    text = response.content.decode()
    for figure_id in catalogue():
        assert f'<tr id="{figure_id}">' in text
    first = response.context["figures"][0]
    assert first.records and first.unit


def test_the_chapter_text_editor_has_a_text_per_profile_language(client_for, coordinator, settings):
    settings.LANGUAGES = [("lv", "Latvian"), ("en", "English"), ("de", "German")]
    client = client_for(coordinator, "en")
    page = client.get(reverse("reports:chapter_texts"), {"year": 2020}).content.decode()
    assert 'name="texts_de"' in page and "Text (German)" in page
    response = client.post(
        reverse("reports:chapter_texts") + "?year=2020",
        {"chapter": "victims", "slot": "text", "texts_lv": "Teksts.", "texts_de": "Text."},
    )
    assert response.status_code == 302
    text = ChapterText.objects.get(year=2020, chapter="victims", slot="text")
    assert text.texts == {"lv": "Teksts.", "de": "Text."}
    assert (text.text("de"), text.text("en")) == ("Text.", "")  # English keeps its draft
