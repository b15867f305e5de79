"""Institution kinds and the country's institutions are profile data
(thb/profiles/lv/institutions.yaml): validated at load, used for the model's choices
and labels, named by the code only through InstitutionKind, and the one list of
institutions that `thb setup` and the demo create."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from thb.accounts.checks import check_institution_kinds
from thb.accounts.models import Institution, InstitutionKind, institution_kind_choices
from thb.core.demo import DEMO_USERS
from thb.profiles.loader import PROFILES_DIR, ProfileError, get_profile, load_profile

# Bodies the 2020 report names as taking part (shared/seed), by their official names.
SEED_INSTITUTIONS = [
    "Iekšlietu ministrija",
    "Labklājības ministrija",
    "Valsts policija",
    "Valsts robežsardze",
    "Valsts darba inspekcija",
    "Pilsonības un migrācijas lietu pārvalde",
    "Valsts bērnu tiesību aizsardzības inspekcija",
    "Juridiskās palīdzības administrācija",
    "Ārlietu ministrijas Konsulārais departaments",
    "Valsts policijas koledža",
    "Valsts robežsardzes koledža",
    "Latvijas Pašvaldību mācību centrs",
    "Latvijas Tiesnešu mācību centrs",
    "Tiesībsarga birojs",
    "Rīgas domes Labklājības departaments",
    "Nodarbinātības valsts aģentūra",
    "Valsts probācijas dienests",
    'Biedrība "Centrs MARTA"',
    'Biedrība "Patvērums "Drošā māja""',
    'Biedrība "Skalbes"',
]


def _profile_copy(
    tmp_path: Path, replace: tuple[str, str], file_name: str = "institutions.yaml"
) -> Path:
    directory = tmp_path / "lv"
    shutil.copytree(PROFILES_DIR / "lv", directory)
    path = directory / file_name
    text = path.read_text(encoding="utf-8")
    assert replace[0] in text
    path.write_text(text.replace(replace[0], replace[1], 1), encoding="utf-8")
    return directory


def test_the_profile_lists_the_seed_institutions_with_both_names() -> None:
    names = {i.name.get("lv"): i for i in get_profile().institutions}
    for name in SEED_INSTITUTIONS:
        assert name in names, name
        assert names[name].name.get("en") and names[name].name.get("en") != name


def test_an_unknown_kind_stops_loading_with_the_institution_named(tmp_path: Path) -> None:
    directory = _profile_copy(
        tmp_path, ("{code: vdi, kind: labour_inspectorate", "{code: vdi, kind: factory")
    )
    with pytest.raises(ProfileError) as error:
        load_profile(directory)
    assert "institutions.yaml" in str(error.value)
    assert "vdi.kind 'factory' is not an institution_kinds code" in str(error.value)


def test_a_duplicate_institution_code_stops_loading(tmp_path: Path) -> None:
    directory = _profile_copy(tmp_path, ("{code: lm,", "{code: iem,"))
    with pytest.raises(ProfileError, match="institutions: code 'iem' appears twice"):
        load_profile(directory)


def test_a_kind_referred_to_by_another_section_must_exist(tmp_path: Path) -> None:
    directory = _profile_copy(
        tmp_path,
        ("compensation_institution_kind: legal_aid", "compensation_institution_kind: legal_help"),
        "support.yaml",
    )
    with pytest.raises(ProfileError, match="compensation_institution_kind: 'legal_help'"):
        load_profile(directory)


def test_every_kind_the_code_names_is_in_the_profile(monkeypatch) -> None:
    assert check_institution_kinds() == []
    trimmed = get_profile().model_copy(
        update={
            "institution_kinds": [k for k in get_profile().institution_kinds if k.code != "court"]
        }
    )
    monkeypatch.setattr("thb.profiles.loader._cached", lambda country: trimmed)
    errors = check_institution_kinds()
    assert [e.id for e in errors] == ["accounts.E001"] and "'court'" in errors[0].msg


def test_the_choices_and_labels_come_from_the_profile_in_the_users_language() -> None:
    codes = [code for code, _label in institution_kind_choices()]
    assert codes == get_profile().codes("institution_kinds")
    assert set(InstitutionKind) <= set(codes)
    institution = Institution(code="x", name="X", kind=InstitutionKind.SERVICE_PROVIDER)
    with translation.override("en"):
        assert institution.get_kind_display() == "Service provider (NGO)"
    with translation.override("lv"):
        assert institution.get_kind_display() == "Pakalpojumu sniedzējs (NVO)"


@pytest.mark.django_db
def test_a_kind_outside_the_profile_is_refused_by_the_model() -> None:
    with pytest.raises(ValidationError) as error:
        Institution(code="x", name="X", kind="spaceport").full_clean()
    assert "kind" in error.value.message_dict


def test_the_demo_users_work_at_profile_institutions() -> None:
    codes = set(get_profile().codes("institutions"))
    assert {code for _user, _role, code, _description in DEMO_USERS} <= codes
