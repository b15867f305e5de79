"""Keyboard only (issue 10, part 9; WCAG 2.1.1): a caseworker records an intake in
Chromium without a mouse. Only Tab, Shift+Tab, Space and Enter move and act; text is
typed into the focused field (a <select> takes the typed beginning of an option's
label, as browsers let keyboard users do). The page is read, never clicked."""

from __future__ import annotations

import re
from typing import Any

import pytest

from thb.accounts.models import Role
from thb.conftest import login
from thb.victims.models import Case, PersonIdentity

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const form = e.closest("main form");
  return {
    tag: e.tagName.toLowerCase(), type: (e.getAttribute("type") || "").toLowerCase(),
    name: e.getAttribute("name") || "", value: e.value || "", checked: !!e.checked,
    inMainForm: !!form, isSkip: e.classList.contains("skip"),
    required: e.required || e.getAttribute("aria-required") === "true",
    options: e.tagName === "SELECT"
      ? Array.from(e.options).map(o => [o.value, o.textContent.trim()]) : [],
  };
}"""

# What to enter, by field name: text typed, or the option value to pick.
TEXT = {"surname": "Tastatūra", "given_names": "Klaviatūra", "age_at_identification": "27"}
DATES = {"intake_date": (2020, 5, 4)}
OPTIONS = {
    "referral_channel": "state_police",
    "sex": "female",
    "citizenship": "LV",
    "recruitment_method": "internet",
    "place_1_country": "LV",
    "place_1_region": "latgale",
}
TICK = {("exploitation_forms", "sexual")}


def _choose(page: Any, element: dict[str, Any], value: str) -> None:
    """Pick an option of the focused <select> by typing its label's beginning."""
    labels = dict(element["options"])
    label = labels[value]
    others = [text for v, text in element["options"] if v != value]
    prefix = next(
        label[:n]
        for n in range(1, len(label) + 1)
        if not any(t.startswith(label[:n]) for t in others)
    )
    page.keyboard.type(prefix, delay=30)


def _type_date(page: Any, element: dict[str, Any], ymd: tuple[int, int, int]) -> None:
    year, month, day = ymd
    if element["type"] != "date":
        page.keyboard.type(f"{year}-{month:02d}-{day:02d}", delay=30)
        return
    # Chromium's date field has day, month and year segments in the order of the
    # browser's own language (not the page's): try one order, check, then the other
    # (Shift+Tab moves back through the segments).
    for order in (f"{month:02d}{day:02d}{year}", f"{day:02d}{month:02d}{year}"):
        page.keyboard.type(order, delay=30)
        if page.evaluate("document.activeElement.value") == f"{year}-{month:02d}-{day:02d}":
            return
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
    raise AssertionError("the date could not be typed into the date field")


def _fill_by_keyboard(page: Any) -> None:
    """Tab through the page once, entering what the intake needs, and press Enter on
    the form's submit button."""
    done: set[tuple[str, str]] = set()
    for _press in range(400):
        element = page.evaluate(FOCUSED)
        page_done = element is not None and element["inMainForm"] and _act(page, element, done)
        if page_done:
            return
        page.keyboard.press("Tab")
    raise AssertionError("no submit button reached by Tab")


def _act(page: Any, element: dict[str, Any], done: set[tuple[str, str]]) -> bool:
    """Enter what the focused control needs; True once the form has been submitted."""
    name, tag, kind = element["name"], element["tag"], element["type"]
    if tag == "button" and kind in ("submit", ""):
        with page.expect_navigation():
            page.keyboard.press("Enter")
        return True
    if (name, element["value"]) in done:
        return False
    done.add((name, element["value"]))
    if name in TEXT and not element["value"]:
        page.keyboard.type(TEXT[name], delay=10)
    elif name in DATES and not element["value"]:
        _type_date(page, element, DATES[name])
    elif tag == "select" and name in OPTIONS:
        _choose(page, element, OPTIONS[name])
    elif tag == "select" and element["required"] and not element["value"]:
        first = next(v for v, _label in element["options"] if v)
        _choose(page, element, first)
    elif kind == "checkbox" and (name, element["value"]) in TICK and not element["checked"]:
        page.keyboard.press("Space")
    elif kind == "radio" and name in OPTIONS:
        # Tab enters a radio group once; the arrow keys move within it (the one
        # exception to Tab/Space/Enter: it is how radio groups work).
        for _step in range(20):
            if page.evaluate(FOCUSED)["value"] == OPTIONS[name]:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
    elif kind == "radio" and element["required"] and name not in OPTIONS:
        page.keyboard.press("Space")  # a required choice not listed above: the first
    return False


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_intake_is_recorded_with_the_keyboard_only(page, make_user, provider):
    make_user("caseworker", Role.CASEWORKER, provider)
    page.set_default_timeout(60000)  # typing key by key on a loaded machine
    login(page, "caseworker")
    page.goto("/cases/new/")

    # The skip link is the first stop; Enter on it moves on into the page's content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip')")
    page.keyboard.press("Enter")
    # Tab reaches the page's content; Shift+Tab goes back out of it (to the header).
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")
    page.keyboard.press("Shift+Tab")
    assert not page.evaluate("!!document.activeElement.closest('main')")

    # One page, or more where the form asks to check the answers before saving.
    for _page in range(3):
        _fill_by_keyboard(page)
        page.wait_for_load_state("domcontentloaded")
        if re.search(r"/cases/[A-Z]+-\d{4}-[A-Z0-9]{5}/(#.*)?$", page.url):
            break
        errors = page.locator(".errorlist").all_inner_texts()
        assert not errors, f"the form refused the keyboard entry: {errors}"
    else:
        raise AssertionError(f"no case page after the intake: {page.url}")

    case = Case.objects.get()
    assert PersonIdentity.objects.get(person=case.person).surname == "Tastatūra"
    assert case.person.sex == "female"
    assert case.intake_date.isoformat() == "2020-05-04"
    assert case.referral_channel == "state_police"
    assert set(case.forms.values_list("form", flat=True)) == {"sexual"}
    assert "Tastatūra" in page.content()
