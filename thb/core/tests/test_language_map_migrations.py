"""The columns per language of earlier versions fold into language maps (accounts 0004,
reports 0004, interop 0005): the country's language from its column, English from the
`_en` column where it has a text; migrating back restores the columns."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [
    ("accounts", "0003_country_language_label"),
    ("reports", "0003_country_language_label"),
    ("interop", "0004_country_language_label"),
]
NEW = [
    ("accounts", "0004_institution_names"),
    ("reports", "0004_chapter_text_texts"),
    ("interop", "0005_submission_section_texts"),
]
pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _model(targets: list[tuple[str, str]], app: str, name: str) -> Any:
    return MigrationExecutor(connection).loader.project_state(targets).apps.get_model(app, name)


def test_the_columns_fold_into_maps_and_back(db):
    executor = MigrationExecutor(connection)
    latest = [node for app, _name in NEW for node in executor.loader.graph.leaf_nodes(app)]
    _migrate(OLD)
    try:
        Institution = _model(OLD, "accounts", "Institution")
        police = Institution.objects.create(
            code="vp", name="Valsts policija", name_en="State Police", kind="state_police"
        )
        Institution.objects.create(code="nvo", name="Biedrība", name_en="", kind="other")
        ChapterText = _model(OLD, "reports", "ChapterText")
        ChapterText.objects.create(year=2020, chapter="victims", slot="text", text_en="Only.")
        Submission = _model(OLD, "interop", "Submission")
        SubmissionSection = _model(OLD, "interop", "SubmissionSection")
        submission = Submission.objects.create(institution_id=police.pk, year=2020)
        SubmissionSection.objects.create(
            submission_id=submission.pk, section="detection", text_lv="Pārbaudes", text_en="Checks"
        )

        _migrate(NEW)
        Institution = _model(NEW, "accounts", "Institution")
        names = dict(Institution.objects.values_list("code", "names"))
        assert names == {
            "vp": {"lv": "Valsts policija", "en": "State Police"},
            "nvo": {"lv": "Biedrība"},
        }
        assert _model(NEW, "reports", "ChapterText").objects.get().texts == {"en": "Only."}
        section = _model(NEW, "interop", "SubmissionSection").objects.get()
        assert section.texts == {"lv": "Pārbaudes", "en": "Checks"}

        _migrate(OLD)
        Institution = _model(OLD, "accounts", "Institution")
        assert set(Institution.objects.values_list("code", "name", "name_en")) == {
            ("vp", "Valsts policija", "State Police"),
            ("nvo", "Biedrība", ""),
        }
        text = _model(OLD, "reports", "ChapterText").objects.get()
        assert (text.text_lv, text.text_en) == ("", "Only.")
        section = _model(OLD, "interop", "SubmissionSection").objects.get()
        assert (section.text_lv, section.text_en) == ("Pārbaudes", "Checks")
    finally:
        _migrate(latest)
