"""The process director's dashboard: the proceedings the institution may see, by their
latest stage, each stage linking to the list of those proceedings; never another
police unit's proceedings."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from thb.core.charts import Value
from thb.justice.dashboard import sections
from thb.justice.selectors import INVESTIGATION
from thb.justice.services import ProceedingData, StageData, proceeding_create, stage_add

pytestmark = pytest.mark.django_db


def _proceeding(actor, number: str):
    return proceeding_create(
        actor=actor,
        data=ProceedingData(
            number=number,
            sections=["154.1"],
            started_on=date(2020, 2, 3),
            exploitation_form="labour",
            sector="construction",
        ),
    )


def _known(investigator, other_investigator, prosecutors):
    """The investigator's unit: 2 under investigation, 1 transferred to the prosecutor
    and then terminated (counted once, at its latest stage: terminated), 1 transferred.
    Another police unit: 2 under investigation, never counted for the first."""
    _proceeding(investigator, "11816000101")
    _proceeding(investigator, "11816000102")
    moved = _proceeding(investigator, "11816000103")
    for kind, on in (("transferred_for_prosecution", 4), ("terminated", 6)):
        stage_add(
            actor=investigator,
            proceeding=moved,
            data=StageData(kind=kind, on=date(2020, on, 1), institution=prosecutors)
            if kind == "transferred_for_prosecution"
            else StageData(kind=kind, on=date(2020, on, 1)),
        )
    transferred = _proceeding(investigator, "11816000104")
    stage_add(
        actor=investigator,
        proceeding=transferred,
        data=StageData(
            kind="transferred_for_prosecution", on=date(2020, 5, 1), institution=prosecutors
        ),
    )
    _proceeding(other_investigator, "11816000201")
    _proceeding(other_investigator, "11816000202")


def _counts(actor) -> dict[str, Value]:
    (section,) = sections(actor=actor, today=timezone.localdate())
    return {bar.url.split("stage=")[1]: bar.value for bar in section.bar_chart().bars}


def test_the_process_director_sees_the_institutions_proceedings_by_stage(
    investigator, other_investigator, prosecutors
):
    _known(investigator, other_investigator, prosecutors)
    assert _counts(investigator) == {
        INVESTIGATION: 2,
        "transferred_for_prosecution": 1,
        "terminated": 1,
    }
    assert _counts(other_investigator) == {INVESTIGATION: 2}


def test_each_stage_links_to_the_list_of_its_proceedings(
    investigator, other_investigator, prosecutors, client_for
):
    _known(investigator, other_investigator, prosecutors)
    (section,) = sections(actor=investigator, today=timezone.localdate())
    client = client_for(investigator)
    for bar in section.bar_chart().bars:
        response = client.get(bar.url)
        assert response.status_code == 200
        assert response.context["total"].count == bar.value, bar.url


def test_other_roles_get_no_proceedings_section(owner, coordinator):
    assert sections(actor=owner, today=timezone.localdate()) == []
    assert sections(actor=coordinator, today=timezone.localdate()) == []
