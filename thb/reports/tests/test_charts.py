"""Charts of the report: SVG fit for a page under a strict CSP, deterministic, with
alt text in the document's language; hidden cells are not drawn."""

from __future__ import annotations

import re

from thb.reports.charts import chart_data, draw_chart, render_chart
from thb.reports.document import PRIMARY, SECONDARY, Cell, Chart, Row, Table


def _citizenship(hidden: bool = False) -> Table:
    women_in = Cell("women.IN", None, 2020, SECONDARY) if hidden else Cell("women.IN", 1, 2020)
    minors_lv = Cell("minors.LV", None, 2020, PRIMARY) if hidden else Cell("minors.LV", 2, 2020)
    return Table(
        id="citizenship",
        title="By citizenship",
        columns=["men", "women", "minors", "total"],
        row_total=True,
        column_total=True,
        rows=[
            Row(
                "Latvia",
                [
                    Cell("men.LV", 3, 2020),
                    Cell("women.LV", 1200, 2020),
                    minors_lv,
                    Cell("t.LV", 1205, 2020),
                ],
            ),
            Row(
                "India",
                [
                    Cell("men.IN", 7, 2020),
                    women_in,
                    Cell("minors.IN", 0, 2020),
                    Cell("t.IN", 8, 2020),
                ],
            ),
            Row(
                "total",
                [
                    Cell("men", 10, 2020),
                    Cell("women", 1201, 2020),
                    Cell("minors", 2, 2020),
                    Cell("t", 1213, 2020),
                ],
                total=True,
            ),
        ],
    )


def _over_the_years() -> Table:
    return Table(
        id="identified",
        title="Identified victims",
        columns=["men", "total", "2018", "2019"],
        earlier_columns=2,
        rows=[
            Row(
                "Identified",
                [
                    Cell("v.men", 34, 2020),
                    Cell("v", 48, 2020),
                    Cell("v", 20, 2018),
                    Cell("v", 7, 2019),
                ],
            )
        ],
    )


def test_a_bar_chart_draws_rows_as_categories_and_columns_as_series_without_totals():
    data = chart_data(Chart("c", "By citizenship", "grouped_bar", _citizenship()))
    assert data.categories == ["Latvia", "India"]  # no total row
    assert [series.label for series in data.series] == ["men", "women", "minors"]  # no total


def test_a_line_chart_draws_the_earlier_years_then_the_report_year():
    data = chart_data(Chart("c", "Over the years", "line", _over_the_years()))
    assert data.categories == ["2018", "2019", "2020"]
    assert [cell.value for cell in data.series[0].cells] == [20, 7, 48]
    image = render_chart(
        Chart("c", "Over the years", "line", _over_the_years()), language="en", threshold=3
    )
    assert "2018: 20, 2019: 7, 2020: 48" in image.alt


def test_the_svg_is_deterministic_and_has_no_inline_styles():
    chart = Chart("by_citizenship", "By citizenship", "stacked_bar", _citizenship())
    first = draw_chart(chart, language="en", threshold=3)
    second = draw_chart(chart, language="en", threshold=3)
    assert first.svg == second.svg
    svg = first.svg
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "style=" not in svg and "<style" not in svg and "<metadata" not in svg
    assert '<title id="chart-by_citizenship-title">By citizenship</title>' in svg
    assert f'<desc id="chart-by_citizenship-desc">{first.alt}</desc>' in svg
    ids = re.findall(r' id="([^"]+)"', svg)
    assert ids and all(value.startswith("chart-by_citizenship-") for value in ids)
    assert len(ids) == len(set(ids))
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', svg):
        assert reference in ids


def test_numbers_are_written_as_the_language_writes_them():
    chart = Chart("c", "By citizenship", "grouped_bar", _citizenship())
    assert ">1\xa0200<" in render_chart(chart, language="lv", threshold=3).svg
    assert ">1,200<" in render_chart(chart, language="en", threshold=3).svg


def test_hidden_cells_are_not_drawn_and_the_alt_text_says_so():
    shown = render_chart(Chart("c", "T", "grouped_bar", _citizenship()), language="en", threshold=3)
    hidden = render_chart(
        Chart("c", "T", "grouped_bar", _citizenship(hidden=True)), language="en", threshold=3
    )
    assert "India: men 7, women 1, minors 0" in shown.alt
    assert "Latvia: men 3, women 1,200, minors not shown (fewer than 3)" in hidden.alt
    assert "women not shown (confidential)" in hidden.alt
    assert "not drawn" in hidden.alt and "not drawn" not in shown.alt
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", hidden.svg)
    assert "2" not in labels and "1" not in labels  # the hidden values have no label
    assert "2" in re.findall(r"<text[^>]*>([^<]*)</text>", shown.svg)


def test_the_alt_text_is_in_the_documents_language():
    chart = Chart("c", "Pēc pilsonības", "bar", _citizenship())
    image = render_chart(chart, language="lv", threshold=3)
    assert image.alt.startswith("Stabiņu diagramma: Pēc pilsonības.")


def test_a_chart_is_drawn_once_per_process_and_again_when_anything_in_it_changes():
    chart = Chart("kept", "By citizenship", "stacked_bar", _citizenship())
    first = render_chart(chart, language="en", threshold=3)
    assert first == draw_chart(chart, language="en", threshold=3)
    assert render_chart(chart, language="en", threshold=3) is first  # kept, not drawn again
    assert render_chart(chart, language="lv", threshold=3) != first
    chart.table.rows[0].cells[1].value = 1300  # the same chart, another figure
    changed = render_chart(chart, language="en", threshold=3)
    assert changed.svg != first.svg and "women 1,300" in changed.alt
    hidden = Chart("kept", "By citizenship", "stacked_bar", _citizenship(hidden=True))
    assert render_chart(hidden, language="en", threshold=3).alt != first.alt
