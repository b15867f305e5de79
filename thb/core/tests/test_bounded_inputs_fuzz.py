"""Extreme and malformed values posted to every API write operation and every form a
demo user can reach: the answer is always 2xx/3xx or 4xx (a form shown again with its
errors counts as 200), never a server error.

The API's write operations are read from its OpenAPI schema: a new one without an
entry in OPERATIONS fails the test. The forms are found by crawling, as each demo
user, the links of the pages from their start page (one page per URL shape), and
collecting every `<form method="post">` with its fields (about forty forms with the
demo data); a list of forms that must be found guards the crawl itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thb.accounts.models import User
from thb.core.codes import CODE_ALPHABET
from thb.core.routes import route_table
from thb.support.models import RehabilitationPlan
from thb.victims.models import Case, CaseStatus

EXAMPLES = 25

# Values that broke or could break a number, a date or a text field.
EXTREME = [
    "1e30",
    "-1e30",
    "1e9",
    "0.001",
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "NaN",
    "Infinity",
    "-Infinity",
    "1,5",
    "0001-01-01",
    "9999-12-31",
    "2020-02-30",
    "1899-12-31",
    "10000-01-01",
    "",
    " ",
    "x" * 5000,
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "ā" * 300,
    "2020-03-15T25:61",
]
extreme_text = st.one_of(
    st.sampled_from(EXTREME),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
)

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _failure(response: Any) -> str:
    body = response.content.decode(errors="replace") if not response.streaming else ""
    return f"{response.status_code}: {body[:500]}"


# The API


@dataclass
class Operation:
    """Who calls a write operation, with which path parameters, and a valid body that
    the fuzzing varies field by field."""

    username: str
    path: Callable[[], dict[str, str]]
    valid: Callable[[], dict[str, Any]]


def _plan_code() -> str:
    plan = RehabilitationPlan.objects.select_related("case__person", "case__institution")
    first = plan.filter(case__institution__code="marta").order_by("pk").first()
    assert first is not None
    return first.case.person.code


def _own_case_code(username: str) -> str:
    institution = User.objects.get(username=username).institution
    case = Case.objects.filter(institution=institution).order_by("pk").first()
    assert case is not None
    return case.person.code


def _recognised_code() -> str:
    case = Case.objects.filter(status=CaseStatus.RECOGNISED).order_by("pk").first()
    assert case is not None
    return case.person.code


def _candidate_pk() -> str:
    from thb.linkage.models import LinkCandidate

    candidate = LinkCandidate.objects.order_by("pk").first()
    assert candidate is not None, "the demo proposes one link candidate"
    return str(candidate.pk)


OPERATIONS: dict[tuple[str, str], Operation] = {
    ("post", "/api/v1/support/plans/{code}/services"): Operation(
        "marta",
        lambda: {"code": _plan_code()},
        lambda: {
            "delivered_on": "2021-01-15",
            "service": "social_worker",
            "specialist_role": "social_worker",
            "hours": "1",
            "cost_eur": "25",
            "limit_reason": "",
        },
    ),
    ("post", "/api/v1/cases/"): Operation(
        "drosamaja",
        dict,
        lambda: {
            "intake_date": "2021-01-15",
            "referral_channel": "self",
            "sex": "female",
            "citizenship": "LV",
            "age_at_identification": 30,
            "surname": "Paraugvārde",
            "forms": ["sexual"],
        },
    ),
    ("post", "/api/v1/cases/{code}/decisions"): Operation(
        "drosamaja",
        lambda: {"code": _own_case_code("drosamaja")},
        lambda: {
            "kind": "commission",
            "decided_on": "2021-02-01",
            "recognised": True,
            "criteria_met": ["purpose_exploitation"],
            "members": "Chair",
        },
    ),
    ("post", "/api/v1/activities/{slug}/"): Operation(
        "robezsardze", lambda: {"slug": "detection"}, dict
    ),
    ("post", "/api/v1/linkage/candidates/{pk}/confirm"): Operation(
        "marta", lambda: {"pk": _candidate_pk()}, dict
    ),
    ("post", "/api/v1/linkage/candidates/{pk}/reject"): Operation(
        "drosamaja", lambda: {"pk": _candidate_pk()}, dict
    ),
    ("post", "/api/v1/support/compensations"): Operation(
        "jpa",
        dict,
        lambda: {"case_code": _recognised_code(), "paid_on": "2020-06-01", "amount_eur": "100"},
    ),
}

extreme_json = st.one_of(
    extreme_text,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
    st.booleans(),
    st.just([]),
    st.just({}),
)


def _property_value(valid: Any) -> st.SearchStrategy[Any]:
    """The valid value, or an extreme one: most examples change one or two fields."""
    return st.one_of(st.just(valid), st.just(valid), extreme_json)


def _write_operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    from thb.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"post", "put", "patch", "delete"}:
                yield method, path, _body_schema(schema, operation)


def _body_schema(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    if not ref:
        return {}
    properties: dict[str, Any] = schema["components"]["schemas"][ref.split("/")[-1]]["properties"]
    return properties


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_every_api_write_answers_4xx_never_500_to_extreme_values() -> None:
    found = list(_write_operations())
    unknown = [(m, p) for m, p, _ in found if (m, p) not in OPERATIONS]
    assert not unknown, f"write operations without a fuzz entry: {unknown}"
    assert len(found) == len(OPERATIONS)
    for method, path, properties in found:
        operation = OPERATIONS[(method, path)]
        client = Client(raise_request_exception=True)
        client.force_login(User.objects.get(username=operation.username))
        url = path
        for name, value in operation.path().items():
            url = url.replace("{" + name + "}", value)
        valid = operation.valid()
        assert set(valid) <= set(properties), (path, set(valid) - set(properties))
        payload = st.fixed_dictionaries(
            {name: _property_value(valid[name]) for name in valid},
            optional={name: extreme_json for name in properties if name not in valid},
        )

        _fuzz_api(client, method, url, payload)


def _fuzz_api(
    client: Client, method: str, url: str, payload: st.SearchStrategy[dict[str, Any]]
) -> None:
    @FUZZ_SETTINGS
    @given(body=payload)
    def post(body: dict[str, Any]) -> None:
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code < 500, _failure(response)
        assert response.status_code in (200, 201, 204, 400, 401, 403, 404, 409, 422)

    post()


# The forms


@dataclass
class Form:
    url: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> options ([] free)
    multiple: set[str] = field(default_factory=set)


class _FormParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form" and a.get("method", "").lower() == "post":
            self._form = Form(self.url, urljoin(self.url, a.get("action") or self.url))
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "textarea", "select"} and a.get("name"):
            name = a["name"]
            if name == "csrfmiddlewaretoken" or a.get("type") in {"submit", "button", "file"}:
                return
            options = self._form.fields.setdefault(name, [])
            if a.get("type") in {"checkbox", "radio"}:
                options.append(a.get("value", "on"))
                if a.get("type") == "checkbox":
                    self._form.multiple.add(name)
            if tag == "select":
                self._select = name
                if "multiple" in a:
                    self._form.multiple.add(name)
        elif tag == "option" and self._form is not None and self._select is not None:
            self._form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


# Pages whose forms change the session rather than records.
SKIP = re.compile(r"^/(accounts/(logout|two-factor)|i18n/|admin/)")
# One URL shape per kind of page: a number, or a code as THB makes them (a case's
# CTU-2020-XXXXX, a referral's or a notification's reference: a prefix, the year and
# letters of the code alphabet), stands for any object.
SHAPE = re.compile(rf"/([A-Z]+-\d{{4}}-[{CODE_ALPHABET}]+|\d+)(?=/|$)")


def _shape(path: str) -> str:
    return SHAPE.sub("/<id>", path)


def _public(path: str) -> bool:
    """A page the route table declares open to anyone: the same for every user."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    entry = route_table().get(match.view_name)
    return entry is not None and entry.anonymous == 200


# Where the crawl starts (besides the start page): the lists behind the menus.
SEEDS = ["/", "/import/submission/", "/import/submissions/", "/residence/deadlines/"]


def _crawl(
    client: Client,
    public: set[str],
    limit: int = 150,
    per_shape: int = 4,
    seeds: list[str] | None = None,
) -> list[Form]:
    """The POST forms on the pages reachable from the seeds: a few pages of each URL
    shape (case pages differ by what the case has: a plan, a residence track, …).
    A public page (the public statistics and their downloads, the same for everyone)
    is read by the first crawl that reaches it: `public` holds those read already."""
    visited: set[str] = set(public)
    shapes: dict[str, int] = {}
    queue = [*SEEDS, *(seeds or [])]
    forms: list[Form] = []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        shape = _shape(path)
        if path in visited or shapes.get(shape, 0) >= per_shape:
            continue
        if SKIP.match(path) or path.startswith("/api/"):
            continue
        visited.add(path)
        if _public(path):
            public.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        path = response.request["PATH_INFO"]  # after redirects
        visited.add(path)
        parser = _FormParser(path)
        parser.feed(response.content.decode(errors="replace"))
        forms += parser.forms
        for link in parser.links:
            parts = urlsplit(link)
            if (not parts.netloc or parts.netloc == "testserver") and parts.path not in visited:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return forms


def _value(options: list[str], multiple: bool) -> st.SearchStrategy[Any]:
    choices = [o for o in options if o]
    candidates: list[st.SearchStrategy[Any]] = [extreme_text]
    if choices:
        candidates.append(st.sampled_from(choices))
        if multiple:
            candidates.append(st.lists(st.sampled_from(choices), max_size=3))
    return st.one_of(*candidates)


USERS = [
    "marta",
    "drosamaja",
    "komisija",
    "policija",
    "robezsardze-pd",
    "pmlp",
    "tiesa",
    "prokurors",
    "jpa",
    "labklajiba",
    "vdi",
    "skalbes",
    "vpkoledza",
    "koordinators",
]

# Forms the crawl must find (URL shapes), so that a broken crawl cannot pass quietly.
EXPECTED = {
    "/cases/new/",
    "/cases/<id>/routing/",
    "/residence/<id>/application/",
    "/justice/<id>/suspects/new/",
    "/activities/detection/new/",
    "/activities/contributions/new/",
    "/support/funding/costs/new/",
    "/residence/<id>/decision/",
    "/residence/<id>/evaluation/",
    "/residence/<id>/permit-request/",
    "/cases/<id>/profile/",
    "/cases/<id>/decision/",
    "/support/plans/<id>/services/",
    "/support/compensation/",
    "/support/funding/contracts/new/",
    "/justice/<id>/property/new/",
    "/justice/<id>/judgments/new/",
    "/activities/helplines/new/",
    "/import/",
    "/import/submission/<id>/",
    "/referrals/new/",
    "/referrals/anonymous/",
    "/referrals/<id>/accept/",
    "/referrals/<id>/decline/",
    "/commission/meetings/new/",
    "/commission/meetings/<id>/agenda/",
    "/commission/meetings/<id>/attendance/",
    "/commission/cases/<id>/submit/",
    "/screening/cases/<id>/",
    "/returns/<id>/edit/",
    "/returns/<id>/steps/contact/",
    "/returns/<id>/costs/new/",
}


def _fuzz_form(client: Client, form: Form, data: st.SearchStrategy[dict[str, Any]]) -> None:
    @FUZZ_SETTINGS
    @given(values=data)
    def post(values: dict[str, Any]) -> None:
        body = {k: v for k, v in values.items() if v is not None}
        # Followed, so that the page showing what was saved is checked too.
        response = client.post(form.action, body, follow=True)
        assert response.status_code < 500, f"{form.action}: {_failure(response)}"

    post()


def _deep_seeds(user: User) -> list[str]:
    """Pages the crawl starts from besides SEEDS because few case pages lead to them
    (the crawl reads four case pages, which may have no return plan): the return plan
    of one of the user's institution's cases, whose page links its forms."""
    from thb.returns.models import ReturnPlan

    if user.institution_id is None:
        return []
    plan = (
        ReturnPlan.objects.filter(case__institution_id=user.institution_id)
        .select_related("case__person")
        .order_by("pk")
        .first()
    )
    return [reverse("returns:plan", args=[plan.case.person.code])] if plan else []


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_every_form_answers_without_a_server_error_to_extreme_values() -> None:
    tried: set[str] = set()
    public: set[str] = set()
    for username in USERS:
        client = Client(raise_request_exception=True)
        user = User.objects.get(username=username)
        client.force_login(user)
        forms = _crawl(client, public, seeds=_deep_seeds(user))
        for form in forms:
            key = _shape(urlsplit(form.action).path)
            if key in tried or SKIP.match(key) or not form.fields:
                continue
            tried.add(key)
            data = st.fixed_dictionaries(
                {
                    name: _value(options, name in form.multiple)
                    for name, options in form.fields.items()
                }
            )

            _fuzz_form(client, form, data)
    missing = EXPECTED - tried
    assert not missing, (
        f"the crawl did not reach these forms: {sorted(missing)}; tried {sorted(tried)}"
    )
