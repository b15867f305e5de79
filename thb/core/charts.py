"""Charts of the dashboards, drawn as small SVG in the page by templates
(core/_chart.html) from the geometry computed here.

Why not matplotlib, which draws the annual report's charts (thb/reports/charts.py)?
Its SVG comes with `style` attributes and a `<style>` element that the
Content-Security-Policy (`style-src 'self'`) refuses, so the report rewrites them into
presentation attributes; that suits the printed edition (a fixed font and palette,
the same picture in the PDF), but costs a matplotlib drawing per chart and request and
fixes the colours in Python. The dashboards are drawn on every visit of the home page:
here the SVG holds only shapes, text and class names, the site's stylesheet
(thb/charts.css) colours them, labels and values of bar charts are text of the page
(they wrap on a phone and are read by a screen reader), and each chart comes with its
figures as a table (docs/dashboards.md).

Coordinates are written as plain decimal text here (never through the template's
number localisation, which would write "12,5" in Latvian and break the SVG).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import formats

Value = int | float | None  # None: a figure hidden by disclosure control

# Bar chart: one row per category, its label and value as text of the page (they
# wrap and scale with it) and the bar as SVG scaled to the row (0-100 wide).
BAR_SCALE = 100

# Column chart: years along the bottom, one column per series in each year.
COLUMN_WIDTH = 400
COLUMN_HEIGHT = 220
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 4, 396, 22, 190
CATEGORY_Y = 208
SERIES_CLASSES = 6  # .chart-series-0 ... -5 in thb/charts.css


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def display(value: Value, *, hidden: str = "", decimals: int | None = None) -> str:
    """A figure as the page shows it, in the active language's format."""
    if value is None:
        return hidden
    if decimals is not None:
        return formats.number_format(value, decimals, force_grouping=True)
    return formats.number_format(value, force_grouping=True)


@dataclass
class Bar:
    label: str
    value: Value
    url: str = ""
    text: str = ""  # the value as shown; display(value) when empty

    @property
    def shown(self) -> str:
        return self.text or display(self.value)


@dataclass
class BarChart:
    """Counts by category: a horizontal bar each (cases by stage, submissions by status)."""

    key: str
    title: str
    value_header: str
    bars: list[Bar]
    label_header: str = ""
    kind: str = "bars"

    @property
    def total(self) -> float:
        return sum(bar.value or 0 for bar in self.bars)

    @property
    def rows(self) -> list[dict[str, str | Bar]]:
        top = max((bar.value or 0 for bar in self.bars), default=0) or 1
        return [
            {
                "bar": bar,
                "length": _num(max(BAR_SCALE * (bar.value or 0) / top, 0.5 if bar.value else 0)),
                "series": str(index % SERIES_CLASSES),
            }
            for index, bar in enumerate(self.bars)
        ]


@dataclass
class Series:
    label: str
    values: list[Value]
    texts: list[str] = field(default_factory=list)  # as shown; display(value) when empty

    def shown(self, index: int) -> str:
        if index < len(self.texts) and self.texts[index]:
            return self.texts[index]
        return display(self.values[index])


@dataclass
class ColumnChart:
    """Figures of several years, one column per series in each year (five-year trends,
    funding planned against spent)."""

    key: str
    title: str
    categories: Sequence[str]  # the years, as shown
    series: list[Series]
    kind: str = "columns"
    label_header: str = ""
    decimals: int | None = None  # of the axis label (0 for amounts in EUR)

    @property
    def width(self) -> str:
        return str(COLUMN_WIDTH)

    @property
    def height(self) -> str:
        return str(COLUMN_HEIGHT)

    @property
    def top(self) -> float:
        return max((v or 0 for s in self.series for v in s.values), default=0)

    @property
    def top_label(self) -> str:
        return display(self.top, decimals=self.decimals)

    @property
    def baseline(self) -> str:
        return str(PLOT_BOTTOM)

    @property
    def category_y(self) -> str:
        return str(CATEGORY_Y)

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(str(i % SERIES_CLASSES), s.label) for i, s in enumerate(self.series)]

    @property
    def table(self) -> list[tuple[str, list[str]]]:
        return [(s.label, [s.shown(i) for i in range(len(self.categories))]) for s in self.series]

    @property
    def groups(self) -> list[dict[str, object]]:
        count = max(len(self.categories), 1)
        group_width = (PLOT_RIGHT - PLOT_LEFT) / count
        inner = group_width * 0.8
        column = inner / max(len(self.series), 1)
        top = self.top or 1
        groups: list[dict[str, object]] = []
        for g, category in enumerate(self.categories):
            x0 = PLOT_LEFT + g * group_width + (group_width - inner) / 2
            columns = []
            for s, series in enumerate(self.series):
                value = series.values[g] if g < len(series.values) else None
                height = (PLOT_BOTTOM - PLOT_TOP) * (value or 0) / top
                columns.append(
                    {
                        "x": _num(x0 + s * column),
                        "y": _num(PLOT_BOTTOM - height),
                        "width": _num(max(column - 2, 1)),
                        "height": _num(height),
                        "series": str(s % SERIES_CLASSES),
                        "label": f"{series.label} {category}: {series.shown(g)}",
                    }
                )
            groups.append(
                {
                    "label": category,
                    "label_x": _num(x0 + inner / 2),
                    "columns": columns,
                }
            )
        return groups


@dataclass
class Section:
    """One part of a dashboard: a heading, its charts, and links to the lists behind
    the figures."""

    key: str
    title: str
    charts: list[BarChart | ColumnChart] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, label)
    note: str = ""

    def bar_chart(self, index: int = 0) -> BarChart:
        chart = self.charts[index]
        assert isinstance(chart, BarChart)
        return chart

    def column_chart(self, index: int = 0) -> ColumnChart:
        chart = self.charts[index]
        assert isinstance(chart, ColumnChart)
        return chart
