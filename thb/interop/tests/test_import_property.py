"""Property: whatever file arrives, the import never raises and never saves part of
it. Either every row is accounted for, or the database is as before."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thb.accounts.models import Institution, User
from thb.interop.importer import import_file
from thb.interop.registry import ImportType, registered
from thb.interop.templates_files import xlsx_template
from thb.interop.tests.helpers import importer_for, record_counts

BAD_VALUES = st.one_of(
    st.text(max_size=30),
    st.just(""),
    st.sampled_from(["2020-13-45", "31.02.2020", "2999-01-01", "yesterday", "-1", "1e309"]),
    st.sampled_from(["no-such-code", "LABOUR", "XX", "labour:nowhere", ";;", "LV:mars"]),
    st.just("9" * 40),
    st.just("x" * 12_000),
    st.text(alphabet='\x00\r\n";,#', max_size=5),
)


@st.composite
def malformed_files(draw: st.DrawFn, import_type: ImportType) -> tuple[str, bytes]:
    names = [c.name for c in import_type.columns]
    header = list(names)
    shape = draw(st.sampled_from(["rows", "rows", "rows", "header", "missing", "bytes"]))
    if shape == "bytes":
        return "junk.csv", draw(st.binary(max_size=200))
    if shape == "header":
        header = draw(st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=5))
    if shape == "missing":
        header = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    rows = []
    for index in range(draw(st.integers(min_value=0, max_value=4))):
        row = import_type.example_row()
        if import_type.key_column:
            row[import_type.key_column] = f"{row[import_type.key_column]}-{index}"
        for name in draw(st.lists(st.sampled_from(names), max_size=3)):
            row[name] = draw(BAD_VALUES)
        rows.append(row)
    if draw(st.booleans()):
        return "f.xlsx", xlsx_template(import_type, rows=rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    data = out.getvalue().encode("utf-8")
    if draw(st.booleans()):
        data += draw(st.sampled_from([b"\xff\xfe", b"\xc3(", b"\x80"]))
    return "f.csv", data


@pytest.mark.parametrize("name", sorted(registered()))
def test_malformed_files_never_raise_and_never_import_in_part(
    name: str,
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
):
    import_type = registered()[name]
    user = importer_for(import_type, make_user, make_institution)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(malformed_files(import_type))
    def check(file: tuple[str, bytes]) -> None:
        file_name, data = file
        before = record_counts()
        result = import_file(actor=user, import_type=import_type, file_name=file_name, data=data)
        if result.ok:
            assert result.created + result.existing == result.rows
        else:
            assert record_counts() == before
            assert all(str(error) for error in result.errors)

    check()
