"""Files as clerks save them: Excel's "CSV" on Latvian Windows (Windows-1257 with ';'),
UTF-16 "Unicode text" (tabs), Latvian and English labels for headers and values in
any case, and unknown columns skipped only when the user confirms it."""

from __future__ import annotations

import codecs
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from thb.interop import labels
from thb.interop.importer import import_file
from thb.interop.registry import Column, ImportType, get_import_type, registered
from thb.interop.tables import FileFormatError, decode_text, detect_delimiter, read_table
from thb.interop.templates_files import csv_template, xlsx_template
from thb.victims.models import Case

LATVIAN_REGISTER = (
    "Ārējais identifikators;Uzņemšanas datums;Nosūtītājs;Dzimums;Pilsonība;Izglītība\n"
    "R-1;15.03.2020;Valsts policija;sieviete;Latvija;vidējā, vidējā speciālā vai vidējā "
    "profesionālā izglītība\n"
    "R-2;16.03.2020;persona pati vērsās pie pakalpojumu sniedzēja;Vīrietis;Uzbekistāna;\n"
)


def _import(user, data: bytes, file_name: str = "cases.csv", **kwargs):
    return import_file(
        actor=user,
        import_type=get_import_type("victim_cases"),
        file_name=file_name,
        data=data,
        **kwargs,
    )


def _cases(user) -> list[tuple[str, str, str, str, str]]:
    return [
        (c.external_id, c.referral_channel, c.person.sex, c.person.citizenship, c.education)
        for c in Case.objects.filter(institution=user.institution)
        .select_related("person")
        .order_by("external_id")
    ]


def test_a_windows_1257_semicolon_file_with_latvian_headers_and_values_imports(owner):
    data = LATVIAN_REGISTER.encode("cp1257")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8: Excel's "CSV" on Latvian Windows
    result = _import(owner, data)
    assert result.ok, result.errors
    assert _cases(owner) == [
        ("R-1", "state_police", "female", "LV", "secondary"),
        ("R-2", "self", "male", "UZ", "unknown"),
    ]


def test_a_utf16_tab_separated_file_imports(owner):
    text = (
        "external_id\tintake_date\treferral_channel\tsex\tcitizenship\n"
        "U-1\t2020-03-15\tstate_police\tfemale\tLV\n"
    )
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")  # Excel's "Unicode text"
    result = _import(owner, data, "cases.txt")
    assert result.ok, result.errors
    assert _cases(owner) == [("U-1", "state_police", "female", "LV", "unknown")]


def test_utf8_is_preferred_and_its_bom_is_dropped(owner):
    text = "external_id,intake_date,referral_channel,sex\nB-1,2020-03-15,self,Sieviete\n"
    assert decode_text(text.encode("utf-8")) == text
    result = _import(owner, codecs.BOM_UTF8 + text.encode("utf-8"))
    assert result.ok, result.errors
    assert _cases(owner)[0][:3] == ("B-1", "self", "female")


def test_codes_and_english_labels_are_read_in_any_case(owner):
    result = _import(
        owner,
        b"EXTERNAL_ID,Date of intake,referred by,SEX,Citizenship\n"
        b"C-1,2020-03-15,State Police,Female,latvia\n"
        b"C-2,2020-03-15,SELF,MALE,uzb\n",
    )
    assert result.ok, result.errors
    assert [c[:4] for c in _cases(owner)] == [
        ("C-1", "state_police", "female", "LV"),
        ("C-2", "self", "male", "UZ"),
    ]


def test_a_value_that_is_no_code_nor_label_is_refused_with_the_codes(owner):
    text = "external_id,intake_date,referral_channel,sex\nC-1,2020-03-15,self,sievišķīgs\n"
    result = _import(owner, text.encode())
    assert [(e.line, e.column, e.value) for e in result.errors] == [(2, "sex", "sievišķīgs")]
    assert "female" in result.errors[0].message
    assert not Case.objects.exists()


def test_an_unknown_column_is_refused_on_the_header_line_then_skipped_when_confirmed(owner):
    data = (
        "# Reģistrs 2020\n"
        "external_id;intake_date;referral_channel;Piezīmes\n"
        "P-1;2020-03-15;self;zvanīja no Londonas\n"
    ).encode()
    refused = _import(owner, data)
    assert [(e.line, e.column) for e in refused.errors] == [(2, "Piezīmes")]
    assert "--ignore-columns" in refused.errors[0].message
    assert not Case.objects.exists()
    accepted = _import(owner, data, ignore_columns=True)
    assert accepted.ok, accepted.errors
    assert accepted.skipped_columns == ["Piezīmes"]
    assert _cases(owner)[0][0] == "P-1"


def test_header_errors_are_errors_of_the_header_line(owner):
    result = _import(owner, b"# help\n\nexternal_id,sex,Sex\nA,female,male\n")
    assert {e.line for e in result.errors} == {3}
    assert {e.column for e in result.errors} == {"Sex", "intake_date", "referral_channel"}


def test_the_command_refuses_an_unknown_column_and_skips_it_with_ignore_columns(
    owner, tmp_path: Path
):
    path = tmp_path / "register.csv"
    path.write_bytes(LATVIAN_REGISTER.replace("Izglītība", "Piezīmes").encode("cp1257"))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command(
            "import", str(path), "--type", "victim_cases", "--user", "owner", "--no-progress",
            "--language", "en", stdout=out, stderr=err,
        )  # fmt: skip
    assert "line 1, column Piezīmes: Unknown column" in err.getvalue()
    assert not Case.objects.exists()
    call_command(
        "import", str(path), "--type", "victim_cases", "--user", "owner", "--no-progress",
        "--ignore-columns", "--language", "en", stdout=out, stderr=err,
    )  # fmt: skip
    assert "Skipped columns: Piezīmes." in out.getvalue()
    assert [c[0] for c in _cases(owner)] == ["R-1", "R-2"]


def test_the_upload_page_skips_unknown_columns_only_when_the_box_is_ticked(client_for, owner):
    data = LATVIAN_REGISTER.replace("Izglītība", "Piezīmes").encode("cp1257")
    client = client_for(owner)
    client.cookies["django_language"] = "en"
    url = reverse("interop:upload")
    page = client.get(url).content.decode()
    assert 'name="ignore_columns"' in page
    refused = client.post(
        url, {"import_type": "victim_cases", "file": SimpleUploadedFile("r.csv", data)}
    )
    body = client.get(refused["Location"]).content.decode()  # the import job's page
    assert "Piezīmes" in body and "Unknown column" in body
    assert not Case.objects.exists()
    accepted = client.post(
        url,
        {
            "import_type": "victim_cases",
            "file": SimpleUploadedFile("r.csv", data),
            "ignore_columns": "on",
        },
    )
    body = client.get(accepted["Location"]).content.decode()
    assert "Skipped columns" in body and "<code>Piezīmes</code>" in body
    assert Case.objects.filter(institution=owner.institution).count() == 2


def test_the_upload_page_describes_the_columns_in_the_users_language(client_for, owner):
    client = client_for(owner)
    body = client.get(reverse("interop:upload")).content.decode()
    assert "Dzimums" in body and "Personas dzimums." in body
    client.cookies["django_language"] = "en"
    body = client.get(reverse("interop:upload")).content.decode()
    assert "Sex of the person." in body


@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("import_type", sorted(registered()))
def test_templates_in_either_language_name_every_column(
    db: None, language: str, import_type: str
) -> None:
    """A template downloaded in Latvian (labels) or English (names) reads back as the
    type's columns, without an ambiguous or unknown header."""
    kind = registered()[import_type]
    with translation.override(language):
        for name, data in (("t.csv", csv_template(kind).encode()), ("t.xlsx", xlsx_template(kind))):
            table = read_table(name, data)
            header = labels.resolve_header(kind, table.header, skip_unknown=False)
            assert header.problems == []
            assert header.names == [c.name for c in kind.columns]


def test_a_latvian_template_filled_in_imports(owner):
    kind = get_import_type("victim_cases")
    with translation.override("lv"):
        template = csv_template(kind)
    assert "\nĀrējais identifikators,Uzņemšanas datums," in template
    row = ",".join(f'"{kind.example_row()[c.name]}"' for c in kind.columns)
    result = _import(owner, (template + row + "\n").encode())
    assert result.ok, result.errors
    assert _cases(owner)[0][0] == "MARTA-2020-001"


def test_a_header_that_fits_two_columns_is_refused_with_the_choices():
    kind = ImportType(
        name="test_ambiguous",
        label="test",
        columns=[
            Column("start_date", "Date", label="Date"),
            Column("end_date", "End", label="date"),
        ],
        save_row=lambda actor, row: (None, False),  # type: ignore[arg-type,return-value]
        roles=(),
    )
    header = labels.resolve_header(kind, ["Date", "end_date"], skip_unknown=False)
    assert [p.column for p in header.problems] == ["Date", "start_date"]
    assert "end_date, start_date" in header.problems[0].message


def test_a_value_that_names_two_codes_is_refused_with_the_choices(monkeypatch):
    from thb import profiles

    profile = profiles.get_profile()
    words = {**profile.interop.value_words, "male": {"lv": ["sieviete"]}}  # also "female"
    interop = profile.interop.model_copy(update={"value_words": words})
    changed = profile.model_copy(update={"interop": interop})
    monkeypatch.setattr(profiles, "get_profile", lambda country=None: changed)
    sexes = ["female", "male", "other", "unknown"]
    code, rule = labels.code_for(sexes, "Sieviete")
    assert code is None
    assert "female" in str(rule) and "male" in str(rule)
    monkeypatch.undo()
    assert labels.code_for(sexes, "Sieviete") == ("female", None)


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("a,b,c\n", ","),
        ("a;b;c\n", ";"),
        ("a\tb\tc\n", "\t"),
        ('"x; y",b,c\n', ","),
        ('"a,b";"c,d"\n', ";"),
        ("# note, with; separators\na;b\n", ";"),
        ("only\n", ","),
    ],
)
def test_the_delimiter_is_the_one_used_outside_quotes_on_the_header_line(header, delimiter):
    assert detect_delimiter(header) == delimiter


def test_undecodable_text_is_refused_naming_its_line(monkeypatch):
    from thb import profiles

    profile = profiles.get_profile()
    interop = profile.interop.model_copy(update={"file_encodings": ["ascii"]})
    changed = profile.model_copy(update={"interop": interop})
    monkeypatch.setattr(profiles, "get_profile", lambda country=None: changed)
    with pytest.raises(FileFormatError) as exc:
        decode_text("external_id\nA-1\nŽ-2\n".encode("cp1257"))
    assert exc.value.line == 3
    assert "line 3" in str(exc.value)


def test_list_cells_take_labels_too():
    channels = get_import_type("helplines").column("channels")
    assert channels.parse("Call; E-pasts; chat") == ["call", "email", "chat"]
    with pytest.raises(ValueError, match="pigeon"):
        channels.parse("call; pigeon")


def test_a_control_character_in_a_cell_is_refused_naming_line_and_column(owner):
    """A NUL (a damaged file, or a binary pasted into a cell) is a row error, never a
    database error: PostgreSQL refuses NUL in text. The error shows no invisible
    character and nothing is saved."""
    data = (
        b"external_id,intake_date,referral_channel,sex,citizenship\r\n"
        b"R-1,2020-03-15,self,female,LV\r\n"
        b"R-\x00,2020-03-16,self,male,LV\r\n"
        b"R-3,2020-03-17,self,male,L\x07V\r\n"
    )
    result = _import(owner, data)
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "external_id"),
        (4, "citizenship"),
    ]
    assert all("control character" in e.message for e in result.errors)
    assert not any(ch in e.value for e in result.errors for ch in "\x00\x07")
    assert _cases(owner) == []


def test_a_control_character_in_a_header_is_shown_as_a_replacement_mark(owner):
    header = read_table("f.csv", b"external_id,No\x01tes\r\nR-1,x\r\n").header
    assert header == ["external_id", "No\ufffdtes"]
    result = _import(owner, b"external_id,intake_date,referral_channel,sex,No\x01tes\r\n")
    assert result.errors and not any("\x01" in e.column + e.message for e in result.errors)
