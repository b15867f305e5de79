"""The dashboards' charts: geometry as plain decimals (never localised into the SVG),
the figures shown in the active language's format, hidden figures not drawn."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import translation

from thb.core.charts import Bar, BarChart, ColumnChart, Series


def _bars() -> BarChart:
    return BarChart(
        "stages", "Cases by stage", "Cases", [Bar("Open", 3, url="/cases/"), Bar("Closed", 12)]
    )


def test_bars_are_scaled_to_the_largest():
    rows = _bars().rows
    assert [row["length"] for row in rows] == ["25", "100"]


def test_columns_hide_what_disclosure_control_hid():
    chart = ColumnChart(
        "trend", "Trend", ["2019", "2020"], [Series("Latvia", [None, 1234], ["<3", ""])]
    )
    columns = chart.groups[0]["columns"]
    assert columns[0]["height"] == "0"  # type: ignore[index]
    with translation.override("en"):
        assert chart.table == [("Latvia", ["<3", "1,234"])]


def test_the_svg_carries_no_style_and_no_localised_coordinates():
    chart = ColumnChart(
        "money", "Funding", ["2020", "2021"], [Series("Spent", [1234.5, 99.25])], decimals=0
    )
    with translation.override("lv"):
        html = render_to_string("core/_chart.html", {"chart": chart})
    assert "style=" not in html and "<style" not in html
    for value in re.findall(r' (?:x|y|width|height)="([^"]*)"', html):
        assert re.fullmatch(r"-?\d+(\.\d+)?", value), value
    assert "1\xa0234,5" in html or "1 234,5" in html  # the table: Latvian format
    assert "<figcaption" in html and "<table>" in html


def test_bar_labels_are_page_text_with_their_links():
    html = render_to_string("core/_chart.html", {"chart": _bars()})
    assert '<a href="/cases/">Open</a>' in html
    assert 'aria-hidden="true"' in html  # the bar itself: the text says it all
