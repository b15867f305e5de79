"""The identification criteria are profile data (issue 11, part 5): a decision recorded
with a criterion that a later list replaced still shows it as recorded, with the current
criteria it maps to (read-time mapping, profile: retired_identification_criteria)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pydantic import ValidationError as SchemaError

from thb.profiles import get_profile, loader
from thb.profiles.schema import Profile, RetiredCriterion
from thb.profiles.schema_base import Label
from thb.victims.services import decision_record
from thb.victims.tests.factories import make_case


def _profile_replacing_deception() -> Profile:
    """The profile as it would be after the secretariat replaced means_deception with a
    new criterion: the old entry moves to the retired list, mapped to the new code."""
    profile = get_profile()
    current = [c for c in profile.identification_criteria if c.code != "means_deception"]
    new = profile.identification_criteria[0].model_copy(
        update={
            "code": "means_deceit",
            "label": Label({"lv": "aizvešana ar viltu", "en": "abduction by deceit"}),
            "group": "means",
        }
    )
    old = next(c for c in profile.identification_criteria if c.code == "means_deception")
    retired = RetiredCriterion(code=old.code, label=old.label, replaced_by=["means_deceit"])
    return Profile.model_validate(
        {
            **profile.model_dump(),
            "identification_criteria": [c.model_dump() for c in [*current, new]],
            "retired_identification_criteria": [retired.model_dump()],
        }
    )


def test_an_old_decision_shows_its_criteria_after_the_list_changes(
    client_for, owner, monkeypatch
) -> None:
    case = make_case(owner)
    decision_record(
        actor=owner,
        case=case,
        kind="commission",
        decided_on=date(2020, 4, 1),
        recognised=True,
        criteria_met=["means_deception", "purpose_exploitation"],
        members="Psihologs\nJurists",
    )
    changed = _profile_replacing_deception()
    monkeypatch.setattr(loader, "_cached", lambda country: changed)
    assert get_profile() is changed
    url = reverse("victims:case_detail", args=[case.person.code])
    text = client_for(owner, "en").get(url).content.decode()
    # As recorded, marked as of the earlier list, with the criterion it maps to now.
    assert "the person was deceived" in text
    assert "earlier list" in text and "abduction by deceit" in text
    assert "the purpose was exploitation" in text
    assert "means_deception" not in text
    lv = client_for(owner).get(url).content.decode()
    assert "personu maldināja" in lv and "iepriekšējais saraksts" in lv
    assert changed.criteria_now(["means_deception", "purpose_exploitation"]) == [
        "means_deceit",
        "purpose_exploitation",
    ]
    # A new decision takes only the current list.
    with pytest.raises(ValidationError) as info:
        decision_record(
            actor=owner,
            case=make_case(owner),
            kind="commission",
            decided_on=date(2020, 4, 1),
            recognised=True,
            criteria_met=["means_deception"],
            members="Jurists",
        )
    assert "criteria_met" in info.value.message_dict


def test_the_profile_refuses_a_mapping_to_no_current_criterion() -> None:
    profile = get_profile()
    data = profile.model_dump()
    data["retired_identification_criteria"] = [
        {"code": "old_one", "label": {"lv": "vecais", "en": "old"}, "replaced_by": ["nothing"]}
    ]
    with pytest.raises(SchemaError, match="replaced_by"):
        Profile.model_validate(data)
    data["retired_identification_criteria"] = [
        {"code": "means_deception", "label": {"lv": "x", "en": "x"}, "replaced_by": []}
    ]
    with pytest.raises(SchemaError, match="still a current"):
        Profile.model_validate(data)


def test_the_criteria_carry_their_element_and_the_list_its_source_note() -> None:
    profile = get_profile()
    groups = {c.code: c.group for c in profile.identification_criteria}
    assert groups["act_recruitment_transport"] == "act"
    assert groups["purpose_exploitation"] == "purpose"
    text = (loader.PROFILES_DIR / "lv" / "victims.yaml").read_text(encoding="utf-8")
    assert "NOT the regulation's wording" in text
