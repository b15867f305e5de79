"""The interface speaks Latvian by default and English on request, and every catalogue
is complete."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

from thb.lib.i18n_compile import compile_catalogues

THB_DIR = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(THB_DIR.glob("**/locale/lv/LC_MESSAGES/django.po"))


def test_the_login_page_is_latvian_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="lv">' in text
    assert "piekļuve tiek reģistrēta" in text


def test_the_language_switch_turns_the_interface_english(client_for, owner):
    client = client_for(owner)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("victims:case_list")).content.decode()
    assert "Record an intake" in page
    client.post(reverse("set_language"), {"language": "lv", "next": "/"})
    page = client.get(reverse("victims:case_list")).content.decode()
    assert "Record an intake" not in page


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(THB_DIR)))
def test_every_catalogue_is_fully_translated(path):
    catalogue = polib.pofile(str(path))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated in {path}: {missing[:10]}"
    assert fuzzy == [], f"fuzzy in {path}: {fuzzy[:10]}"
    # Every plural has each of the language's forms (Latvian: 1, 21…; 2, 3…; 0): a
    # missing form shows the English text.
    forms = int(catalogue.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [
        e.msgid
        for e in catalogue
        if e.msgid_plural
        and not e.obsolete
        and not all(e.msgstr_plural.get(i) for i in range(forms))
    ]
    assert short == [], f"plurals without all {forms} forms in {path}: {short[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(THB_DIR)))
def test_no_obsolete_entry_repeats_a_live_one(path):
    """A merge of two branches' catalogues (`*.po merge=union`) can bring back a message
    as an obsolete entry beside the live one: gettext's msgfmt refuses such a file."""
    catalogue = polib.pofile(str(path))
    live = {(e.msgctxt, e.msgid) for e in catalogue if not e.obsolete}
    repeated = [e.msgid for e in catalogue.obsolete_entries() if (e.msgctxt, e.msgid) in live]
    assert repeated == [], f"obsolete entries repeating live ones in {path}: {repeated}"


def test_catalogues_compile(tmp_path):
    compile_catalogues()
    assert all(p.with_suffix(".mo").exists() for p in CATALOGUES)


def test_the_browsers_language_does_not_override_latvian(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "lv"
    assert "piekļuve tiek reģistrēta" in response.content.decode()
