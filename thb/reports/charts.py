"""Charts of the annual report: a Chart block of the Document drawn as SVG with
matplotlib, with a sentence of alt text in the document's language.

A chart draws its table: the rows are the categories, the columns the series (kinds
bar, stacked_bar, grouped_bar; a row-total column and a total row are left out, as
they repeat their parts); kind line draws each row's total over the table's
earlier-year columns and the report year. A cell the public edition hides is not
drawn (no bar, a gap in the line) and the alt text says so.

The SVG is deterministic (svg.hashsalt from the chart id, no date in the metadata)
and fit for a page under a strict Content Security Policy: matplotlib's style
attributes and <style> element become presentation attributes, and every id is
prefixed with the chart's id so that several charts can stand in one page.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import threading
import xml.etree.ElementTree as ET
from collections.abc import Hashable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from cachetools import LRUCache, cached

matplotlib.use("Agg")

from django.utils import translation
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from thb.reports import formatting
from thb.reports.document import PRIMARY, Cell, Chart

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

# Okabe and Ito's palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
FONT = "DejaVu Sans"  # has every Latvian letter; the PDF's fonts include it
# Inches: a chart of many bars gets thinner bars rather than leave an A4 page.
MAX_HEIGHT = 8.0
# How many values the alt text names before it refers the reader to the table.
ALT_VALUES = 12


@dataclass(frozen=True)
class ChartImage:
    svg: str  # an <svg> element, without XML declaration, ready to inline in HTML
    alt: str


@dataclass(frozen=True)
class Series:
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class ChartData:
    categories: list[str]
    series: list[Series]


def chart_data(chart: Chart) -> ChartData:
    """The categories and series a chart draws from its table."""
    table = chart.table
    width = len(table.columns) - table.earlier_columns
    body = [row for row in table.rows if not row.total] or table.rows
    if chart.kind == "line":
        # x: the earlier years, then the report year; one series per row.
        series = [Series(row.label, [*row.cells[width:], row.cells[width - 1]]) for row in body]
        years = [str(cell.year) for cell in series[0].cells] if series else []
        return ChartData(categories=years, series=series)
    columns = range(width - 1 if table.row_total and width > 1 else width)
    if len(body) == 1:
        # One row: its columns are the categories (one bar each), not one bar per series.
        row = body[0]
        return ChartData(
            categories=[table.columns[column] for column in columns],
            series=[Series(row.label, [row.cells[column] for column in columns])],
        )
    return ChartData(
        categories=[row.label for row in body],
        series=[
            Series(table.columns[column], [row.cells[column] for row in body]) for column in columns
        ],
    )


def _value(cell: Cell) -> float:
    if cell.hidden or cell.value is None or cell.figure is None:
        return math.nan
    return float(cell.value)


def _hidden_text(cell: Cell, threshold: int) -> str:
    if cell.flag == PRIMARY:
        return _("not shown (fewer than %(threshold)s)") % {"threshold": threshold}
    return _("not shown (confidential)")


def _value_text(cell: Cell, language: str, threshold: int) -> str:
    if cell.hidden:
        return _hidden_text(cell, threshold)
    return formatting.number(cell.value, language)


def alt_text(chart: Chart, data: ChartData, language: str, threshold: int) -> str:
    """One or two sentences that say what the chart shows, for readers who cannot
    see it: the kind and title, then the values (the first ALT_VALUES of them),
    grouped by category (by series for a line chart)."""
    groups: list[tuple[str, list[tuple[str, Cell]]]] = []
    if chart.kind == "line" or len(data.series) == 1:
        for series in data.series:
            pairs = list(zip(data.categories, series.cells, strict=True))
            groups.append((series.label if len(data.series) > 1 else "", pairs))
    else:
        for index, category in enumerate(data.categories):
            groups.append((category, [(s.label, s.cells[index]) for s in data.series]))
    parts: list[str] = []
    count = hidden = 0
    for name, pairs in groups:
        values = []
        for label, cell in pairs:
            if cell.figure is None:
                continue
            hidden += cell.hidden
            count += 1
            if count <= ALT_VALUES:
                separator = " " if name else ": "
                values.append(f"{label}{separator}{_value_text(cell, language, threshold)}")
        if values:
            parts.append(f"{name}: {', '.join(values)}" if name else ", ".join(values))
    kinds = {
        "bar": _("Bar chart"),
        "stacked_bar": _("Stacked bar chart"),
        "grouped_bar": _("Grouped bar chart"),
        "line": _("Line chart"),
    }
    sentence = f"{kinds[chart.kind]}: {chart.title}. "
    if not parts:
        return sentence + _("There are no values to draw.")
    sentence += "; ".join(parts)
    if count > ALT_VALUES:
        sentence += "; " + _("%(count)s more values in the table.") % {"count": count - ALT_VALUES}
    else:
        sentence += "."
    if hidden:
        sentence += " " + _("Values hidden by disclosure control are not drawn.")
    return sentence


def _wrap(label: str, width: int = 32) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _draw(chart: Chart, data: ChartData, language: str) -> Figure:
    count = len(data.categories)
    # A plain bar chart of several series is drawn grouped too (bars side by side).
    grouped = chart.kind in ("bar", "grouped_bar") and len(data.series) > 1
    if chart.kind == "line":
        figure = Figure(figsize=(6.4, 3.0), layout="constrained")
    else:
        slots = count * (len(data.series) if grouped else 1)
        figure = Figure(
            figsize=(6.4, min(MAX_HEIGHT, max(1.6, 0.3 * slots + 0.3 * count + 0.8))),
            layout="constrained",
        )
    axes = figure.subplots()
    axes.spines[["top", "right"]].set_visible(False)
    number = FuncFormatter(lambda value, _pos: formatting.number(value, language))
    if chart.kind == "line":
        positions = list(range(count))
        for index, series in enumerate(data.series):
            axes.plot(
                positions,
                [_value(cell) for cell in series.cells],
                marker="o",
                color=PALETTE[index % len(PALETTE)],
                label=series.label,
            )
        axes.set_xticks(positions, data.categories)
        axes.yaxis.set_major_formatter(number)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        axes.set_ylim(bottom=0)
        axes.grid(axis="y", color="#dddddd")
    else:
        positions = list(range(count))
        height = 0.8 / len(data.series) if grouped else 0.6
        left = [0.0] * count
        for index, series in enumerate(data.series):
            values = [_value(cell) for cell in series.cells]
            offsets = [p - 0.4 + height * (index + 0.5) if grouped else float(p) for p in positions]
            kwargs = {"left": left} if chart.kind == "stacked_bar" else {}
            bars = axes.barh(
                offsets,
                [0.0 if math.isnan(v) else v for v in values],
                height=height,
                color=PALETTE[index % len(PALETTE)],
                label=series.label,
                **kwargs,  # type: ignore[arg-type]
            )
            # A hidden cell draws no bar (zero width) and no label.
            if chart.kind != "stacked_bar":
                labels = ["" if math.isnan(v) else formatting.number(v, language) for v in values]
                axes.bar_label(bars, labels=labels, padding=3, fontsize=8)
            else:
                left = [
                    a + (0.0 if math.isnan(v) else v) for a, v in zip(left, values, strict=True)
                ]
        axes.set_yticks(positions, [_wrap(label) for label in data.categories])
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(number)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.margins(x=0.12)
        axes.grid(axis="x", color="#dddddd")
        axes.set_axisbelow(True)
    if len(data.series) > 1:
        figure.legend(
            loc="outside lower center", ncols=min(3, len(data.series)), frameon=False, fontsize=8
        )
    return figure


# SVG presentation attributes that matplotlib writes inside style="...".
_PRESENTATION = {
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "clip-path",
}
_URL = re.compile(r"url\(#([^)]+)\)")


def _without_inline_styles(root: ET.Element, prefix: str) -> None:
    """Turn style attributes into presentation attributes (CSP forbids inline
    styles), drop the <style> and <metadata> elements and prefix every id."""
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{SVG}}}style", f"{{{SVG}}}metadata"):
                parent.remove(child)
    # matplotlib's <style> said: *{stroke-linejoin: round; stroke-linecap: butt}
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                name, _colon, value = declaration.partition(":")
                name, value = name.strip(), value.strip()
                if name in _PRESENTATION and value:
                    element.set(name, value)
        if "id" in element.attrib:
            element.set("id", f"{prefix}-{element.attrib['id']}")
        for attribute, value in list(element.attrib.items()):
            if attribute == f"{{{XLINK}}}href" and value.startswith("#"):
                element.set(attribute, f"#{prefix}-{value[1:]}")
            elif "url(#" in value:
                element.set(attribute, _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value))


def _name(qualified: str) -> str:
    if qualified.startswith(f"{{{XLINK}}}"):
        return "xlink:" + qualified[len(XLINK) + 2 :]
    return qualified.rpartition("}")[2]


def _serialise(element: ET.Element, *, root: bool = False) -> str:
    """The element as SVG markup with the SVG namespace as default. (ElementTree's
    own serialiser would need a global register_namespace("", ...), which changes
    how every other user of ElementTree in the process writes SVG: WeasyPrint's.)"""
    attributes = dict(element.attrib)
    if root:
        attributes = {"xmlns": SVG, "xmlns:xlink": XLINK, **attributes}
    markup = "<" + _name(element.tag)
    for name, value in attributes.items():
        markup += f" {_name(name)}={quoteattr(value)}"
    children = "".join(_serialise(child) for child in element)
    text = escape(element.text or "")
    if children or text:
        markup += f">{text}{children}</{_name(element.tag)}>"
    else:
        markup += "/>"
    return markup + escape(element.tail or "")


def _svg(figure: Figure, chart: Chart, alt: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": chart.id, "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    root = ET.fromstring(buffer.getvalue())  # noqa: S314  (our own matplotlib output)
    prefix = f"chart-{chart.id}"
    _without_inline_styles(root, prefix)
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title {prefix}-desc")
    root.set("class", "chart")
    title = ET.Element(f"{{{SVG}}}title", {"id": f"{prefix}-title"})
    title.text = chart.title
    desc = ET.Element(f"{{{SVG}}}desc", {"id": f"{prefix}-desc"})
    desc.text = alt
    root.insert(0, desc)
    root.insert(0, title)
    return _serialise(root, root=True)


def describe(chart: Chart, *, language: str, threshold: int) -> str:
    """The chart's alt text alone (without drawing it)."""
    with translation.override(language):
        return alt_text(chart, chart_data(chart), language, threshold)


# Drawing a chart takes matplotlib a few tenths of a second, and every statistics page
# and report download draws the same charts until the figures change. The image
# depends only on the chart (kind, title and its table's cells and labels: all in its
# repr), the language and the threshold.
_rendered: LRUCache[Hashable, ChartImage] = LRUCache(maxsize=256)


@cached(
    _rendered,
    key=lambda chart, *, language, threshold: (repr(chart), language, threshold),
    lock=threading.Lock(),
)
def render_chart(chart: Chart, *, language: str, threshold: int) -> ChartImage:
    """The chart as inline SVG with its alt text, in `language` (drawn once per process
    for the same chart)."""
    return draw_chart(chart, language=language, threshold=threshold)


def draw_chart(chart: Chart, *, language: str, threshold: int) -> ChartImage:
    """The chart drawn now (render_chart keeps what this draws)."""
    data = chart_data(chart)
    with translation.override(language):
        alt = alt_text(chart, data, language, threshold)
    with matplotlib.rc_context({"font.family": FONT, "font.size": 9}):
        figure = _draw(chart, data, language)
        return ChartImage(svg=_svg(figure, chart, alt), alt=alt)
