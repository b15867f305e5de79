"""Accessibility proven in the browser (issue 10, part 9): axe-core checks every page
that every demo persona can open (the route walk of test_route_table.py: each route
with its sample arguments, the persona's own object and another institution's) against
WCAG 2.1 A and AA, in Debian Chromium. No serious or critical violation is allowed.
The browser is 360 px wide, and no page may scroll sideways at that width (part 7:
tables scroll inside their own region).

axe-core is injected from a vendored file: the `axe.min.js` that the PyPI package
`axe-playwright-python` bundles (a dev dependency; its version is in the file's first
line, licence MPL-2.0). One browser and one login per persona keep the run short."""

from __future__ import annotations

import functools
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


@functools.cache
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.1 AA violations on the page as it is now."""
    page.evaluate(axe_source())  # through the DevTools protocol: the page's CSP allows it
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
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
    page.set_default_timeout(TIMEOUT_MS)  # a loaded CI machine; hundreds of pages
    page.set_viewport_size({"width": WIDTH, "height": 800})
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
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                problems.append(f"[{persona}] {url}: wider than {WIDTH} px: {overflow}")
            problems += [f"[{persona}] {line}" for line in describe(url, axe_violations(page))]
    print(f"axe: {checked} pages checked", file=sys.stderr)
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
