"""Every registered import type (this app's and the other apps'), driven only by its
columns' examples: a valid file imports, a bad row stops the whole file, a re-import
creates nothing new."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from thb.accounts.models import Institution, User
from thb.interop.importer import import_file
from thb.interop.registry import Column, ImportType, registered
from thb.interop.templates_files import example_csv, xlsx_template
from thb.interop.tests.helpers import importer_for, record_counts

TYPES = sorted(registered())


def _bad_value(column: Column) -> str:
    return "no-such-code" if column.codes is not None else ""


def _breakable(import_type: ImportType) -> Column:
    """A column the test can make invalid: one with codes, or else a required one."""
    for column in import_type.columns:
        if column.codes is not None and column.name != import_type.key_column:
            return column
    return next(c for c in import_type.columns if c.required)


@pytest.fixture
def importer(
    request: pytest.FixtureRequest,
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
) -> Callable[[ImportType], User]:
    return lambda import_type: importer_for(import_type, make_user, make_institution)


def test_the_victim_case_type_is_registered():
    assert "victim_cases" in registered()


@pytest.mark.parametrize("name", TYPES)
def test_every_column_has_an_example(name: str):
    for column in registered()[name].columns:
        assert column.example or not column.required, f"{name}.{column.name} has no example"


@pytest.mark.parametrize("name", TYPES)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_valid_file_of_each_type_imports(name: str, kind: str, importer):
    import_type = registered()[name]
    user = importer(import_type)
    data = (
        example_csv(import_type).encode()
        if kind == "csv"
        else xlsx_template(import_type, rows=[import_type.example_row()])
    )
    before = record_counts()
    result = import_file(actor=user, import_type=import_type, file_name=f"x.{kind}", data=data)
    assert result.errors == []
    assert (result.rows, result.created) == (1, 1)
    assert record_counts() != before


@pytest.mark.parametrize("name", TYPES)
def test_a_dry_run_saves_nothing(name: str, importer):
    import_type = registered()[name]
    user = importer(import_type)
    before = record_counts()
    result = import_file(
        actor=user,
        import_type=import_type,
        file_name="x.csv",
        data=example_csv(import_type).encode(),
        dry_run=True,
    )
    assert result.ok and result.created == 1
    assert record_counts() == before


@pytest.mark.parametrize("name", TYPES)
def test_reimporting_the_same_file_creates_no_duplicates(name: str, importer):
    import_type = registered()[name]
    user = importer(import_type)
    data = example_csv(import_type).encode()
    first = import_file(actor=user, import_type=import_type, file_name="x.csv", data=data)
    after_first = record_counts()
    second = import_file(actor=user, import_type=import_type, file_name="x.csv", data=data)
    assert first.created == 1
    assert (second.created, second.existing) == (0, 1), second.errors
    # Audit and timeline rows aside, no table grows on the second import.
    grown = {label: n for label, n in record_counts().items() if n > after_first[label]}
    assert grown == {}


@pytest.mark.parametrize("name", TYPES)
def test_one_bad_row_imports_nothing_and_names_row_and_column(name: str, importer):
    import_type = registered()[name]
    user = importer(import_type)
    good = import_type.example_row()
    rows = [good]
    broken = _breakable(import_type)
    bad = {**good, broken.name: _bad_value(broken)}
    if import_type.key_column:
        bad[import_type.key_column] = good[import_type.key_column] + "-2"
        third = {**good, import_type.key_column: good[import_type.key_column] + "-3"}
        rows = [good, bad, third]
    else:
        rows = [good, bad]
    before = record_counts()
    result = import_file(
        actor=user,
        import_type=import_type,
        file_name="x.csv",
        data=example_csv(import_type, rows).encode(),
    )
    assert record_counts() == before
    assert not result.ok and result.created == 0
    error = result.errors[0]
    # Line 1 is the header, so the second data row is line 3.
    assert (error.line, error.column) == (3, broken.name)
    assert "line 3" in str(error) and broken.name in str(error)
