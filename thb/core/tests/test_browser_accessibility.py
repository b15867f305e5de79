"""Accessibility proven in the browser (issue 10, part 9): axe-core checks every page
that every demo persona can open (the route walk of test_route_table.py: each route
with its sample arguments, the persona's own object and another institution's) against
WCAG 2.1 A and AA, in Debian Chromium. No serious or critical violation is allowed.
The browser is 360 px wide, and no page may scroll sideways at that width (part 7:
tables scroll inside their own region).

Every page is loaded and checked for sideways scrolling; axe runs once per distinct
page shape (`SHAPE`: the document's elements with their attributes, whether each has
text, and repeated siblings counted as one or many). What axe checks (contrast from
the classes, names from text and labelling attributes, roles, ids, structure) is the
same on two pages of one shape, so the five reporter personas, who mostly see the
same templates with other institutions' rows, cost one axe run per template state,
while a page only one persona reaches, or a persona's own menus, still has its own
shape and its own run.

axe-core is injected from a vendored file: the `axe.min.js` that the PyPI package
`axe-playwright-python` bundles (a dev dependency; its version is in the file's first
line, licence MPL-2.0). One browser and one login per persona keep the run short."""

from __future__ import annotations

import functools
import hashlib
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from thb.accounts.models import User
from thb.conftest import demo_snapshot, login
from thb.core.demo import DEMO_PASSWORD
from thb.core.routes import PERSONAS
from thb.core.tests.test_route_table import Demo, _requests
from thb.victims.models import Person

# The rules of WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
TIMEOUT_MS = 60000
WIDTH = 360  # the narrowest phone the layout is made for (WCAG 1.4.10: 320 CSS px)

# The page scrolls sideways: which elements stick out (a table's own scroll region
# may be wide; the page may not).
OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.right > root.clientWidth + 1 && !e.closest(".table-scroll")) {
      out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
        + (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : "")
        + " " + Math.round(r.right) + "px");
      if (out.length >= 3) break;
    }
  }
  return root.scrollWidth + "px: " + out.join(", ");
}"""


# The page's shape: what axe's WCAG rules read, without what differs from one record to
# the next. Attribute values that are free text or addresses (and the CSP nonce, new on
# every response, a chart's geometry, data-* attributes, which no style reads) count
# only as empty or not, which keeps an empty alt, name or button value apart from a
# filled one; every other attribute (id, for, class, role, type, lang, tabindex,
# aria-*) counts with its value, and so does whether a scroll region scrolls.
# Consecutive siblings of the same shape count as one or as many (two), so a table of
# three rows and one of thirty are one shape, and a repeated id is still seen repeated.
SHAPE = """() => {
  const FREE = new Set(["href", "src", "srcset", "action", "value", "alt", "title",
    "aria-label", "aria-description", "aria-valuetext", "aria-valuenow", "placeholder",
    "datetime", "nonce", "download",
    // a chart's or a QR code's geometry
    "d", "points", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry",
    "width", "height", "transform", "viewBox"]);
  const free = (name) => FREE.has(name) || name.startsWith("data-");
  const shape = (element) => {
    const attributes = Array.from(element.attributes, (a) =>
      a.name + (free(a.name) ? (a.value.trim() ? "=*" : "=") : "=" + JSON.stringify(a.value))
    ).sort();
    // A region that scrolls must be reachable by keyboard (axe's
    // scrollable-region-focusable): whether it scrolls depends on its content.
    const style = getComputedStyle(element);
    const scrolls = /auto|scroll/.test(style.overflowX + style.overflowY)
      && (element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight);
    let text = false;
    const children = [];
    for (const node of element.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) text = true;
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const child = shape(node);
      const last = children[children.length - 1];
      if (last && last.shape === child) last.many = true;
      else children.push({ shape: child, many: false });
    }
    return "<" + element.tagName.toLowerCase() + " " + attributes.join(" ")
      + (text ? " #" : "") + (scrolls ? " ~" : "")
      + ">" + children.map((c) => c.shape + (c.many ? "+" : "")).join("") + "</>";
  };
  return shape(document.documentElement);
}"""


# How many serious or critical violations axe finds.
AXE_BLOCKING = """({options, blocking}) => axe.run(document, options).then(
  (results) => results.violations.filter((v) => blocking.includes(v.impact)).length
)"""


@functools.cache
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.1 AA violations on the page as it is now."""
    if not page.evaluate("() => typeof axe === 'object'"):  # not added by an init script
        # Through the DevTools protocol: the page's CSP allows it.
        page.evaluate(axe_source())
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
        "selectors": False,
    }
    # First without the CSS selectors that name each element: making them takes half of
    # axe's time on a large page, and only a violation needs its elements named.
    blocking = page.evaluate(AXE_BLOCKING, {"options": options, "blocking": sorted(BLOCKING)})
    if not blocking:
        return []
    results = page.evaluate("options => axe.run(document, options)", {**options, "selectors": True})
    return [v for v in results["violations"] if v.get("impact") in BLOCKING]


def describe(url: str, violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(
            f"{url}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])}x): "
            f"{violation['help']} at {targets}"
        )
    return lines


# Pages left out of the walk: none. The API's interactive documentation (Swagger UI as
# django-ninja vendors it) is walked too; THB's template and stylesheet fix its
# language, contrast and nested controls, and its rendered operations are checked
# with a panel open in test_browser_api_docs_accessibility.py.
NOT_OURS: set[str] = set()


def persona_pages(demo: Demo) -> dict[str, list[str]]:
    """Every page URL (GET, not the API) each persona is expected to open (200)."""
    pages: dict[str, list[str]] = {persona: [] for persona in demo.users}
    for request in _requests(demo):
        if request.method != "GET" or " " in request.key or request.expected != 200:
            continue
        if request.key in NOT_OURS:
            continue
        if request.url not in pages[request.persona]:
            pages[request.persona].append(request.url)
    return pages


def load_demo() -> None:
    """The demo data, committed so that the live server sees it (one transaction: the
    rows are written table by table and SQLite checks the foreign keys at commit)."""
    with transaction.atomic():
        demo_snapshot().restore()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_persona_has_no_serious_axe_violation(page: Any) -> None:
    load_demo()
    users = {persona: User.objects.get(username=name) for persona, name in PERSONAS.items()}
    for user in users.values():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    pages = persona_pages(
        Demo(users=users, codes=set(Person.objects.values_list("code", flat=True)))
    )
    assert sum(len(urls) for urls in pages.values()) > 100, "the walk found too few pages"

    problems: list[str] = []
    checked = 0
    shapes: set[str] = set()  # the page shapes axe has checked
    timings = dict.fromkeys(("load", "overflow", "shape", "axe"), 0.0)
    page.set_default_timeout(TIMEOUT_MS)  # a loaded CI machine; hundreds of pages
    page.set_viewport_size({"width": WIDTH, "height": 800})
    # axe in every document from its start (compiled once by the browser, where
    # evaluating it after each load costs some 0.2 s a page).
    page.add_init_script(axe_source())
    for persona, urls in pages.items():
        page.context.clear_cookies()
        login(page, PERSONAS[persona], DEMO_PASSWORD)
        for url in urls:
            started = time.monotonic()
            try:
                response = page.goto(url, wait_until="domcontentloaded")
            except PlaywrightTimeout:
                problems.append(f"{url} as {persona}: no answer within {TIMEOUT_MS} ms")
                continue
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file (CSV, XLSX, PDF), not a page
                raise
            seconds = time.monotonic() - started
            if seconds > 10:
                print(f"slow: {url} as {persona}: {seconds:.1f} s", file=sys.stderr)
            assert response is not None
            if response.status != 200:
                problems.append(f"{url} as {persona}: {response.status}")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue  # a file shown inline (JSON, SVG, PDF), not a page
            checked += 1
            timings["load"] += seconds
            started = time.monotonic()
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                problems.append(f"[{persona}] {url}: wider than {WIDTH} px: {overflow}")
            timings["overflow"] += time.monotonic() - started
            started = time.monotonic()
            shape = hashlib.sha256(page.evaluate(SHAPE).encode()).hexdigest()
            timings["shape"] += time.monotonic() - started
            if shape in shapes:
                continue  # axe has checked a page of this shape
            shapes.add(shape)
            started = time.monotonic()
            problems += [f"[{persona}] {line}" for line in describe(url, axe_violations(page))]
            timings["axe"] += time.monotonic() - started
    print(
        f"axe: {checked} pages checked for overflow, {len(shapes)} shapes by axe; seconds: "
        + ", ".join(f"{name} {value:.1f}" for name, value in timings.items()),
        file=sys.stderr,
    )
    assert checked > 100
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wide_table_scrolls_in_its_own_named_region_and_codes_do_not_break(
    page: Any, make_user: Any, make_institution: Any
) -> None:
    """At 360 px the users table is wider than the screen: it scrolls inside a region
    named after the page's heading, reachable with Tab; the page itself does not scroll
    sideways, and a user name with hyphens stays on one line."""
    institution = make_institution(
        "long-institution", name="Institution " + "with a long name " * 4
    )
    make_user("admin", "administrator", institution)
    make_user("ctu-2020-n7n3r-user", "caseworker", institution)
    page.set_default_timeout(TIMEOUT_MS)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    login(page, "admin")
    page.goto("/accounts/administration/users/")
    region = page.locator("main .table-scroll")
    assert region.count() == 1
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label") == page.locator("main h1").inner_text()
    assert region.get_attribute("tabindex") == "0"  # wider than the screen: focusable
    assert page.evaluate(OVERFLOW) is None
    cell = page.locator("td", has_text="ctu-2020-n7n3r-user")
    assert "token" in (cell.get_attribute("class") or "")
    box = cell.locator("a").bounding_box()  # the name itself (the row is taller)
    assert box is not None and box["height"] < 30  # one line
    # Keyboard users reach the region and scroll it.
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium may scroll smoothly: give the region up to 2 s to move (polled from here:
    # the page's CSP forbids the evaluated predicate wait_for_function would use).
    scrolled = 0
    for _attempt in range(40):
        scrolled = page.evaluate("document.querySelector('.table-scroll').scrollLeft")
        if scrolled > 0:
            break
        page.wait_for_timeout(50)
    assert scrolled > 0
    page.set_viewport_size({"width": 1280, "height": 800})
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    assert region.get_attribute("tabindex") is None  # fits: no needless tab stop


@pytest.mark.browser
def test_pages_share_a_shape_only_where_axe_reads_the_same(page: Any) -> None:
    """Other rows, texts and addresses leave the shape as it is; what axe's rules read
    (one row or many, an empty name or alt, a class, a language) makes another."""

    def shape(
        *,
        rows: int = 3,
        text: str = "1",
        alt: str = "Chart",
        button: str = "Save",
        cls: str = "status",
        lang: str = "lv",
    ) -> str:
        cells = "".join(f'<tr><td class="{cls}">{text}</td></tr>' for _ in range(rows))
        page.set_content(
            f'<html lang="{lang}"><head><title>T</title></head><body><main><h1>T</h1>'
            f'<table>{cells}</table><img src="/c/{text}.png" alt="{alt}">'
            f'<a href="/cases/{text}/">{text}</a><button>{button}</button></main></body></html>'
        )
        return str(page.evaluate(SHAPE))

    same = shape()
    assert shape(rows=30, text="LV-2020-7", alt="Another chart", button="Send") == same
    assert shape(rows=1) != same
    assert shape(alt="") != same
    assert shape(button="") != same
    assert shape(cls="status status-late") != same
    assert shape(lang="en") != same


@pytest.mark.browser
def test_axe_names_the_elements_of_a_serious_violation(page: Any) -> None:
    """The first run only counts (no CSS selectors); a violation is run again to name
    its elements."""
    page.set_content(
        '<html lang="en"><head><title>T</title></head><body><main><h1>T</h1>'
        '<button id="nameless"></button></main></body></html>'
    )
    lines = describe("/x", axe_violations(page))
    assert len(lines) == 1 and "button-name (critical, 1x)" in lines[0], lines
    assert "#nameless" in lines[0]
