"""No raw codes, no untranslated strings (issue 10, part 3).

Every page every demo persona can open (the route table's walk, own objects only) is
rendered in Latvian and in English, and the text a user sees (text nodes and the
`title`, `alt`, `placeholder` and `aria-label` attributes; never `value=`, `name=`, URLs,
scripts or styles) is scanned for:

- codes of the country profile's lists that are not ordinary words (`annual_average`,
  `detection_records`), any other snake_case identifier (`after_course_window`) and
  dotted program names (`interop.submission`, `plan.course_days`);
- figure ids of the catalogue (`victims.identified.men`);
- Python representations: `{'`, `<Model`, `None`, `True`/`False` shown as text;
- English on Latvian pages (two or more common English words of a user interface in
  one text) and Latvian on English pages (two or more common Latvian words: an
  institution's Latvian name, a sentence THB wrote in Latvian). What users typed is
  data in its author's language: a textarea is not read, and text marked with its own
  `lang` (a submission's Latvian text on the English page) is read for codes only.

The demo is loaded once for the module; a public page (the same for everyone) is read
once. The walk renders ~380 pages; the statistics pages take most of its time."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from thb.accounts.models import User
from thb.conftest import demo_snapshot, store_figures
from thb.core.routes import PERSONAS, route_table
from thb.core.tests.test_route_table import Demo, _objects, _url
from thb.profiles import get_profile

VISIBLE_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
# Not read: scripts and styles, and what a user typed into a form (a textarea's text is
# the record's data, in whatever language its author wrote).
HIDDEN_ELEMENTS = ("script", "style", "template", "noscript", "textarea")


VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class _VisibleText(HTMLParser):
    """The text of a page as a user sees it, one string per text node or attribute.
    Text inside an element marked `translate="no"` (HTML's own mark for "an identifier,
    not words": a case code, a file's column name, a figure id in the catalogue) is
    left out: those are the identifiers a user types into files or quotes, shown on
    purpose. Text inside an element marked `data-codes` (the import page's description
    of a column, which lists the codes a file may hold) may name codes, and is still
    read for its language. Text inside an element whose `lang` differs from the page's
    (a submission's Latvian text on the English page, an import's errors in the
    uploader's language) is read for codes, not for its language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.coded: list[str] = []  # text that may name codes
        self.foreign: list[str] = []  # text in a declared other language
        # (tag, hides, names codes, declared language)
        self._stack: list[tuple[str, bool, bool, str]] = []
        self._language = ""  # the page's, from <html lang>

    @property
    def _hidden(self) -> bool:
        return any(hides for _tag, hides, _codes, _lang in self._stack)

    def _add(self, text: str) -> None:
        codes = any(names for _tag, _hides, names, _lang in self._stack)
        declared = next((lang for *_rest, lang in reversed(self._stack) if lang), "")
        if declared and self._language and declared != self._language:
            self.foreign.append(text)
        else:
            (self.coded if codes else self.parts).append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marks = dict(attrs)
        lang = (marks.get("lang") or "").split("-")[0]
        if tag == "html":
            self._language = lang
        hides = tag in HIDDEN_ELEMENTS or marks.get("translate") == "no"
        if not hides and not self._hidden:
            for name, value in attrs:
                if name in VISIBLE_ATTRIBUTES and value and value.strip():
                    self._add(value.strip())
        if tag not in VOID_ELEMENTS:
            self._stack.append((tag, hides, "data-codes" in marks, lang))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):  # (forgiving of unclosed tags)
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self._add(" ".join(data.split()))


def visible_text(html: str) -> tuple[list[str], list[str], list[str]]:
    """(text in the page's language that may not name codes, text that may, text in a
    declared other language)."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.parts, parser.coded, parser.foreign


# What may not be shown.

# snake_case (not in a file name such as detection_records-2020.csv) and dotted names
# (interop.submission, plan.course_days; not "s.154.1", "e.g." or a web address).
SNAKE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-]|\.\w)")
DOTTED = re.compile(r"(?<![\w.@/-])(?!www\.)[a-z]{2,}[a-z_]*(?:\.[a-z_]+)+(?![\w@/-]|\.\w)")
REPRS = (
    re.compile(r"\{'"),
    re.compile(r"<[A-Z]\w+(?: object)?[: ]"),
    # None, True, False shown alone or as a value ("Ends: None"), not in "None." or
    # "False information" (words).
    re.compile(r"^(?:None|True|False)$|[=:(\[,] ?(?:None|True|False)\b"),
)
# Common English words of a user interface that are not Latvian words.
_ENGLISH_WORDS = """
    the and of with for this that from your you are is be been has have not or which
    will can must should please field save cancel edit delete add search name date
    status submit back next previous required forbidden found error page select
    choose file upload download report user users password sign yes total amount
    year month day days new open close closed show hide all none more less here
    there when where what who how why into only also than then other each every any
    some between after before during until limit limits reason column columns value
    values example
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())
# Common Latvian words that are not English words, for English pages.
_LATVIAN_WORDS = """
    un ir nav par vai kas ar uz līdz pēc gads gadā gada lēmums iestāde ministrija
    policija valsts dienests centrs pārvalde komisija tiesa pakalpojums pakalpojumi
    ierobežojums pārsniegts atskaite kopsavilkums upuris upura gadījums lieta datums
    summa kopā saglabāt atcelt meklēt labot dzēst pievienot atpakaļ lapa
"""
LATVIAN = frozenset(_LATVIAN_WORDS.split())
# Identifiers a sentence may quote (institution codes such as riga-pasvaldibas-policija,
# snake_case column names): not words of any language.
IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:[-_][a-z0-9]+)+\b")
TOKEN = re.compile(r"[\w.]*\w")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def profile_tokens() -> frozenset[str]:
    """Codes of the profile's lists that are not ordinary words (they have an underscore,
    a dot or a digit), and every figure id."""
    tokens: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if (
                    key in ("code", "id")
                    and isinstance(value, str)
                    and re.search(r"[a-z]{2,}[_.]|_[a-z]{2,}", value)
                ):
                    tokens.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(get_profile().model_dump())
    return frozenset(tokens)


@dataclass
class Page:
    persona: str
    language: str
    key: str
    url: str
    parts: list[str] = field(default_factory=list)
    coded: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


def _walk_pages(demo: Demo) -> Iterator[tuple[str, str, str, User]]:
    """(persona, route key, URL, user) of every page route the persona opens (200) on
    its own object."""
    objects: dict[tuple[str, str], Any] = {}
    for key, entry in sorted(route_table().items()):
        if " " in key:  # the API: JSON, not pages
            continue
        for persona, user in demo.users.items():
            if entry.expected(persona) != 200:
                continue
            if entry.anonymous == 200 and persona != "coordinator":
                continue  # a public page: the same for everyone, read once
            arguments: dict[str, Any] | None = {}
            if entry.kind is not None:
                if (entry.kind, persona) not in objects:
                    objects[entry.kind, persona] = _objects(entry.kind, user)
                arguments = objects[entry.kind, persona][0]
            if arguments is None:
                continue
            _method, url = _url(key, entry, arguments)
            yield persona, key, url, user
    # The administration beyond its index (the table covers it as one entry).
    admin = demo.users["admin"]
    someone = User.objects.exclude(pk=admin.pk).order_by("pk").first()
    for name, args in (
        ("admin:accounts_user_changelist", ()),
        ("admin:accounts_user_change", (someone.pk,) if someone else None),
        ("admin:accounts_institution_changelist", ()),
        ("admin:accounts_institution_change", (admin.institution_id,)),
        ("admin:support_fundingcontract_changelist", ()),
    ):
        if args is not None:
            yield "admin", name, reverse(name, args=args), admin


@pytest.fixture(scope="module")
def pages(django_db_setup: Any, django_db_blocker: Any) -> Iterator[list[Page]]:
    """Every page of every persona in both languages, as visible text."""
    result: list[Page] = []
    with django_db_blocker.unblock(), transaction.atomic():
        demo_snapshot().restore()
        store_figures()
        users = {p: User.objects.get(username=u) for p, u in PERSONAS.items()}
        demo = Demo(users=users, codes=set())
        clients: dict[tuple[str, str], Client] = {}
        for persona, user in users.items():
            for language in ("lv", "en"):
                client = Client(raise_request_exception=False)
                client.force_login(user)
                client.cookies["django_language"] = language
                clients[persona, language] = client
        for persona, key, url, _user in _walk_pages(demo):
            for language in ("lv", "en"):
                with transaction.atomic():
                    response = clients[persona, language].get(url)
                    transaction.set_rollback(True)
                if response.status_code != 200 or response.streaming:
                    continue
                if not response.get("Content-Type", "").startswith("text/html"):
                    continue
                page = Page(persona, language, key, url)
                page.parts, page.coded, page.foreign = visible_text(response.content.decode())
                result.append(page)
        dump = os.environ.get("THB_DUMP_PAGES")
        if dump:
            with open(dump, "w", encoding="utf-8") as out:
                json.dump([p.__dict__ for p in result], out, ensure_ascii=False, indent=0)
        yield result
        transaction.set_rollback(True)


def _problems(pages: list[Page], check: Any, *, codes: bool) -> list[str]:
    """`codes`: the check is for codes (reads text in other languages, not the text
    that may name codes); else for the language (the other way round)."""
    found: dict[str, set[str]] = {}
    for page in pages:
        for part in page.parts + (page.foreign if codes else page.coded):
            for hit in check(page, part):
                where = f"{page.language} {page.url} ({page.persona})"
                found.setdefault(f"{hit!r} in {part[:120]!r}", set()).add(where)
    return [f"{what}: {', '.join(sorted(where)[:3])}" for what, where in sorted(found.items())]


def _raw_codes(tokens: frozenset[str]) -> Any:
    def check(page: Page, part: str) -> Iterator[str]:
        for match in SNAKE.finditer(part):
            yield match.group()
        for match in DOTTED.finditer(part):
            yield match.group()
        for word in TOKEN.findall(part):
            if word in tokens:
                yield word
        for pattern in REPRS:
            for match in pattern.finditer(part):
                yield match.group()

    return check


@pytest.mark.django_db
def test_no_page_shows_a_code_a_figure_id_or_a_python_repr(pages: list[Page]) -> None:
    assert len({p.url for p in pages}) > 50  # the walk reached the demo's pages
    problems = _problems(pages, _raw_codes(profile_tokens()), codes=True)
    assert not problems, f"{len(problems)} raw codes shown:\n" + "\n".join(problems)


def _english_on_latvian_pages(page: Page, part: str) -> Iterator[str]:
    """Two or more common English words in one Latvian text."""
    if page.language != "lv":
        return
    words = {w.lower() for w in WORD.findall(IDENTIFIER.sub(" ", part))}
    english = sorted(words & ENGLISH)
    if len(english) >= 2:
        yield " ".join(english)


def _latvian_on_english_pages(page: Page, part: str) -> Iterator[str]:
    """Two or more common Latvian words in one English text (an institution's Latvian
    name, a sentence THB wrote in Latvian)."""
    if page.language != "en":
        return
    words = {w.lower() for w in WORD.findall(IDENTIFIER.sub(" ", part))}
    latvian = sorted(words & LATVIAN)
    if len(latvian) >= 2:
        yield " ".join(latvian)


@pytest.mark.django_db
def test_latvian_pages_are_in_latvian_and_english_pages_in_english(pages: list[Page]) -> None:
    problems = _problems(pages, _english_on_latvian_pages, codes=False)
    problems += _problems(pages, _latvian_on_english_pages, codes=False)
    assert not problems, f"{len(problems)} untranslated texts:\n" + "\n".join(problems)
