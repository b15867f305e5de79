"""Every format of the annual report serialises the same Document: the 2020 demo in
Latvian and English, internal and public, as PDF, XLSX, CSV zip, JSON and HTML."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from openpyxl import load_workbook

from thb.conftest import demo_snapshot
from thb.profiles import get_profile
from thb.reports.builder import build_document
from thb.reports.document import Document
from thb.reports.figures import report_figures
from thb.reports.formats import FORMATS, Rendered, render
from thb.reports.formats.xlsx import HEADER_ROW, sheet_names
from thb.reports.formatting import flag_text
from thb.reports.tests.pdftext import pdf_text

YEAR = 2020
# The demo's victims have records in 2019 too: the tables show it as an earlier year.
YEARS = {2019, 2020}
# The mark makes pytest-django create the test database even when this module runs
# alone: its module fixture must never reach the development database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The 2020 documents of the demo data set, built once for the module inside a
    transaction that is rolled back (so no other test sees the demo)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_snapshot().restore()
        documents = {
            (language, edition): build_document(
                year=YEAR, language=language, edition=edition, years_with_records=YEARS
            )
            for language in ("lv", "en")
            for edition in ("internal", "public")
        }
        figures = report_figures(YEAR)
        transaction.set_rollback(True)
    return {"documents": documents, "figures": figures}


def _document(demo, language: str, edition: str) -> Document:
    return demo["documents"][(language, edition)]


@pytest.fixture(scope="module")
def pdf(demo):
    """A document's PDF and its text, rendered once for the module on first use
    (WeasyPrint takes seconds a document): the tests that read the same document
    read the same file."""
    rendered: dict[tuple[str, str], tuple[Rendered, str]] = {}

    def get(language: str, edition: str) -> tuple[Rendered, str]:
        if (language, edition) not in rendered:
            file = render(_document(demo, language, edition), "pdf")
            rendered[(language, edition)] = (file, pdf_text(file.content))
        return rendered[(language, edition)]

    return get


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


# One PDF per language, each edition once: the Latvian internal one (with the
# definitions appendix) and the English public one, which the A4 and
# every-format tests read too.
PDFS = [("lv", "internal"), ("en", "public")]


@pytest.mark.parametrize(("language", "edition"), PDFS)
def test_the_pdf_has_every_chapter_heading_and_the_victims_total(demo, pdf, language, edition):
    document = _document(demo, language, edition)
    rendered, text = pdf(language, edition)
    assert rendered.content.startswith(b"%PDF")
    assert rendered.content_type == "application/pdf"
    assert rendered.filename == f"thb-report-2020-{language}-{edition}.pdf"
    text = _words(text)
    profile = get_profile()
    for number, chapter_id in enumerate(profile.report.chapters, start=1):
        title = _words(profile.chapter(chapter_id).title.get(language))
        # The heading in the body and its contents entry with a page number.
        assert text.count(f"{number}. {title}") >= 2, title
        assert re.search(re.escape(f"{number}. {title}") + r" ?\.{3,} ?\d+", text), title
    victims = text[text.rindex(profile.chapter("victims").title.get(language)) :]
    assert re.search(r"\b48\b", victims)
    assert document.figures["victims.identified"] == 48
    assert "2019" in victims  # the earlier year's column


def test_the_pdf_is_a4_with_page_numbers(pdf):
    from pypdf import PdfReader

    # The English public edition, whose PDF the every-format test renders too.
    rendered, text = pdf("en", "public")
    reader = PdfReader(io.BytesIO(rendered.content))
    pages = len(reader.pages)
    assert pages > 2
    for page in reader.pages:
        # A4 in points: 595.276 x 841.89.
        assert round(float(page.mediabox.width), 1) == 595.3
        assert round(float(page.mediabox.height), 1) == 841.9
    assert f"Page 2 / {pages}" in text


def test_the_xlsx_cells_equal_the_json_figures(demo):
    document = _document(demo, "lv", "internal")
    data = json.loads(render(document, "json").content)
    workbook = load_workbook(io.BytesIO(render(document, "xlsx").content))
    tables = document.tables
    names = sheet_names(tables, {workbook.sheetnames[0]})
    assert workbook.sheetnames[1:] == [names[table.id] for table in tables]
    compared = 0
    for table in tables:
        sheet = workbook[names[table.id]]
        width = len(table.columns)
        ids_from = width + 3
        assert sheet.column_dimensions[sheet.cell(row=1, column=ids_from).column_letter].hidden
        for index, row in enumerate(table.rows, start=HEADER_ROW + 1):
            assert sheet.cell(row=index, column=1).value == row.label
            for offset, cell in enumerate(row.cells):
                value = sheet.cell(row=index, column=2 + offset).value
                figure = sheet.cell(row=index, column=ids_from + offset).value
                assert figure == cell.figure
                if cell.figure is None:
                    assert value is None
                    continue
                assert isinstance(value, int | float) and not isinstance(value, bool)
                if cell.year == YEAR:
                    assert value == data["figures"][cell.figure], cell.figure
                    compared += 1
                else:
                    assert value == cell.value
    assert compared == sum(1 for t in tables for c in t.figure_cells if c.year == YEAR)
    assert compared > 0


def test_the_public_xlsx_stores_flags_with_a_legend(demo):
    document = _document(demo, "en", "public")
    workbook = load_workbook(io.BytesIO(render(document, "xlsx").content))
    cover = workbook[workbook.sheetnames[0]]
    cover_text = [str(c.value) for row in cover.iter_rows() for c in row if c.value is not None]
    assert "<3" in cover_text and "c" in cover_text
    sheet = workbook["victims_overview"]
    overview = next(table for table in document.tables if table.id == "victims_overview")
    expected = [
        flag_text(cell.flag, document.threshold) if cell.flag else cell.value
        for cell in overview.rows[0].cells
    ]
    values = [
        sheet.cell(row=HEADER_ROW + 1, column=column).value
        for column in range(2, 2 + len(expected))
    ]
    assert values == expected
    assert "<3" in values  # the two minors of 2020
    assert sheet.cell(row=HEADER_ROW, column=2).font.bold
    # No figure ids in the public edition.
    assert sheet.max_column == len(overview.columns) + 1


def test_the_csv_zip_has_one_file_per_table(demo):
    document = _document(demo, "lv", "public")
    rendered = render(document, "csv")
    assert rendered.filename.endswith(".csv.zip")
    archive = zipfile.ZipFile(io.BytesIO(rendered.content))
    tables = document.tables
    assert sorted(archive.namelist()) == sorted(
        ["README.txt", *(f"{table.id}.csv" for table in tables)]
    )
    raw = archive.read("victims_overview.csv")
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    overview = next(table for table in tables if table.id == "victims_overview")
    assert rows[0] == ["", *overview.columns]
    assert rows[0][1:4] == ["vīrieši", "sievietes", "nepilngadīgie"]
    texts = [
        flag_text(cell.flag, document.threshold) if cell.flag else str(cell.value)
        for cell in overview.rows[0].cells
    ]
    assert rows[1][1:] == texts
    assert "<3" in rows[1]
    readme = archive.read("README.txt").decode("utf-8-sig")
    assert "<3" in readme and "victims_overview.csv" in readme


def test_the_json_contract(demo):
    internal = json.loads(render(_document(demo, "en", "internal"), "json").content)
    assert set(internal) == {
        "year",
        "language",
        "edition",
        "figures",
        "flags",
        "tables",
        "chapters",
        "metadata",
    }
    assert (internal["year"], internal["language"], internal["edition"]) == (
        2020,
        "en",
        "internal",
    )
    assert internal["figures"] == demo["figures"]
    assert internal["flags"] == {}
    table_ids = [table["id"] for table in internal["tables"]]
    referenced = [
        block["table"]
        for chapter in internal["chapters"]
        for block in chapter["blocks"]
        if block["type"] == "table"
    ]
    assert referenced == table_ids
    charts = [b for c in internal["chapters"] for b in c["blocks"] if b["type"] == "chart"]
    assert charts and all(chart["alt"] and chart["table"] in table_ids for chart in charts)

    public = json.loads(render(_document(demo, "en", "public"), "json").content)
    assert public["flags"]["victims.identified.minors"] == "primary"
    assert public["figures"]["victims.identified.minors"] is None
    assert set(public["figures"]) == set(internal["figures"])
    for figure, flag in public["flags"].items():
        assert public["figures"][figure] is None and flag in ("primary", "secondary")
    assert public["metadata"]["flag_signs"] == {"primary": "<3", "secondary": "c"}


def test_the_internal_html_links_every_figure_to_its_explanation(demo):
    document = _document(demo, "lv", "internal")
    html = render(document, "html").content.decode()
    assert html.startswith("<!doctype html>") and '<html lang="lv">' in html
    cells = re.findall(r'<td class="num[^"]*" data-figure="([^"]+)">(.*?)</td>', html)
    assert len(cells) == sum(len(table.figure_cells) for table in document.tables)
    for figure, content in cells:
        assert f'<a class="figure" href="#{figure}"' in content
        assert f'id="{figure}"' in html  # the definitions appendix
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "34</a>" in html and "200\xa0805</a>" in html  # Latvian grouping
    assert "<svg" in html and "<title" in html and "<desc" in html


def test_the_public_html_shows_flags_and_no_explanations(demo):
    html = render(_document(demo, "en", "public"), "html").content.decode()
    assert 'class="figure"' not in html
    assert "data-figure" not in html
    assert 'id="definitions"' not in html
    assert '<abbr class="flag flag-primary"' in html and ">&lt;3</abbr>" in html
    assert '<abbr class="flag flag-secondary"' in html and ">c</abbr>" in html
    assert 'class="legend"' in html
    assert "200,805" in html  # English grouping


def test_the_web_partial_links_to_the_catalogue_and_has_nothing_inline(demo):
    document = _document(demo, "en", "internal")
    html = render_to_string(
        "reports/_document.html",
        {"document": document, "explain_url": "/reports/catalogue/"},
    )
    assert 'href="/reports/catalogue/#victims.identified"' in html
    assert 'rel="stylesheet"' in html and "reports/report.css" in html
    # The site's Content Security Policy forbids inline styles and scripts.
    assert " style=" not in html and "<style" not in html and "<script" not in html
    assert 'id="definitions"' not in html  # the catalogue page explains instead

    support_only = render_to_string(
        "reports/_document.html", {"document": document, "chapters": ["support"]}
    )
    assert "State funding of social rehabilitation" in support_only
    assert "Identified victims of trafficking" not in support_only


def test_every_format_is_rendered_and_unknown_ones_are_refused(demo, pdf):
    document = _document(demo, "en", "public")
    for fmt in FORMATS:
        rendered = pdf("en", "public")[0] if fmt == "pdf" else render(document, fmt)
        assert rendered.content and rendered.filename.startswith("thb-report-2020-en-public.")
    with pytest.raises(ValueError, match="unknown report format 'docx'"):
        render(document, "docx")


def test_the_partial_renders_inside_thbs_pages(demo, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines

    request = rf.get("/reports/")
    request.user = AnonymousUser()
    page = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}<h1>Report</h1>'
        '{% include "reports/_document.html" with document=document %}{% endblock %}'
    )
    html = page.render({"document": _document(demo, "lv", "public")}, request)
    assert html.count('<article class="report report-public" lang="lv">') == 1
    assert "thb/thb.css" in html and "reports/report.css" in html
    assert "<caption>" in html and "&lt;3</abbr>" in html
