"""The Criminal Law sections carry their headings as the law (and the 2020 report's
related-offences table) names them."""

import pytest

from thb.profiles import get_profile

# Headings quoted by the 2020 report (seed lines 983-993) and the Criminal Law.
HEADINGS = {
    "164.2": "personas iesaistīšana prostitūcijā un prostitūcijas izmantošana",
    "165": "sutenerisms",
    "165.1": "personas nosūtīšana seksuālai izmantošanai",
    "280": "personas nodarbināšanas noteikumu pārkāpšana",
    "285.1": "nelikumīga nodrošināšana ar iespēju uzturēties Latvijas Republikā",
    "285.2": (
        "ļaunprātīga nodrošināšana ar iespēju likumīgi iegūt tiesības uzturēties Latvijas "
        "Republikā, citā Eiropas Savienības dalībvalstī, Eiropas Ekonomikas zonas valstī vai "
        "Šveices Konfederācijā"
    ),
}


@pytest.mark.parametrize(("code", "heading"), sorted(HEADINGS.items()))
def test_each_related_section_is_named_by_its_heading(code: str, heading: str):
    label = get_profile().legal_section(code).label
    assert label.get("lv").endswith(f"— {heading}")


def test_the_old_wrong_names_are_gone():
    labels = " ".join(
        f"{s.label.get('lv')} {s.label.get('en')}" for s in get_profile().legal_sections
    )
    assert "piespiedu darbs" not in labels
    assert "forced labour" not in labels
    assert "tranzītā" not in labels
    assert "in transit" not in labels


def test_the_english_labels_name_the_same_offences():
    english = {code: get_profile().legal_section(code).label.get("en") for code in HEADINGS}
    assert english["280"].endswith("violation of the rules on employing persons")
    assert "right to reside" in english["285.2"]
    assert "Swiss Confederation" in english["285.2"]
    assert "possibility to reside in the Republic of Latvia" in english["285.1"]
