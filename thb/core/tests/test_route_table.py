"""Every route against the declared access table (thb/core/routes.py and each app's
`policy.py`).

- Every URL pattern of the resolver and every operation of the OpenAPI schema has an
  entry; a route without one fails, named (shown with a throw-away route).
- With the demo data, every persona requests every route (with an object of its own
  institution and one of another, where the route takes one) and anonymously, and gets
  the status the table declares.
- Every page or endpoint that answers with a victim's case code writes an audit event
  naming that code during the same request (issue 8, part 10).
- Every link of the home page opens for the persona it is shown to.

The demo is loaded once for the module."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from thb import urls as project_urls
from thb.accounts.models import Role, User
from thb.activities.models import DetectionRecord
from thb.audit.models import AuditEvent
from thb.commission.models import AgendaItem, Meeting
from thb.conftest import demo_snapshot, store_figures
from thb.core.routes import PERSONAS, Route, api_operations, missing_routes, route_table
from thb.interop.models import ImportJob, Submission
from thb.justice.models import Proceeding
from thb.linkage.models import LinkCandidate
from thb.referrals.models import Referral
from thb.residence.models import PermitRequest, ResidenceTrack
from thb.support.models import RehabilitationPlan
from thb.victims.models import Case, CaseStatus, Person

LOGIN = "/accounts/login/"


# The table covers the application.


def test_every_route_and_api_operation_has_an_entry_in_the_access_table() -> None:
    missing = missing_routes()
    assert not missing, "routes without an entry in the access table:\n" + "\n".join(missing)


def test_the_table_has_no_entry_for_a_route_that_does_not_exist() -> None:
    from thb.core.routes import page_routes

    pages = page_routes()
    namespaces = {key.split(":")[0] for key in pages if ":" in key}
    operations = api_operations()
    stale = [
        key
        for key in route_table()
        if key not in pages
        and key not in operations
        and not (key.endswith(":*") and key[:-2] in namespaces)
    ]
    assert not stale, f"entries for routes that do not exist: {stale}"


def _summary(request: Any, code: str) -> HttpResponse:
    return HttpResponse(code)


def test_a_new_route_without_an_entry_fails_the_check(settings: Any) -> None:
    """The reviewer's `/cases/<code>/summary/` from issue 8, added to the project's
    URLs without an entry, is reported by name; so are an unnamed pattern and a new
    API operation."""
    assert missing_routes() == []
    settings.ROOT_URLCONF = type(
        "ThrowawayUrls",
        (),
        {
            "urlpatterns": [
                path("cases/<str:code>/summary/", _summary, name="throwaway_summary"),
                path("cases/<str:code>/unnamed/", _summary),
                *project_urls.urlpatterns,
            ]
        },
    )
    missing = missing_routes()
    assert missing == [
        "/cases/<str:code>/unnamed/ (/cases/<str:code>/unnamed/)",
        "throwaway_summary (/cases/<str:code>/summary/)",
    ]
    operations = {**api_operations(), "GET /api/v1/cases/{code}/summary": "/x"}
    assert "GET /api/v1/cases/{code}/summary" in missing_routes(operations=operations)


# Requesting every route as every persona.


@dataclass
class Demo:
    users: dict[str, User]
    codes: set[str]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Demo]:
    """The demo data, loaded once for the module inside a transaction rolled back at
    the end (each test's own transaction nests in it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_snapshot().restore()
        store_figures()
        users = {p: User.objects.get(username=u) for p, u in PERSONAS.items()}
        yield Demo(users=users, codes=set(Person.objects.values_list("code", flat=True)))
        transaction.set_rollback(True)


def _best_case(scope: Q) -> Case | None:
    """A recognised case in scope, preferring one with a residence track and a plan, so
    that every case route has something to show."""
    return (
        Case.objects.filter(scope, status=CaseStatus.RECOGNISED)
        .annotate(
            track=Exists(ResidenceTrack.objects.filter(case=OuterRef("pk"))),
            plan=Exists(RehabilitationPlan.objects.filter(case=OuterRef("pk"))),
        )
        .order_by("-track", "-plan", "id")
        .first()
    )


def _cases(user: User) -> tuple[Any, Any]:
    """The user's own case (where the demo has one for its role) and another
    institution's, as the demo data define them (not through the policy under test)."""
    institution = user.institution_id
    own_scope: Q | None = {
        str(Role.CASEWORKER): Q(institution_id=institution),
        str(Role.COMMISSION_MEMBER): Q(
            institution_id=institution, submitted_to_commission_on__isnull=False
        ),
        str(Role.PROCESS_DIRECTOR): Q(proceeding_institution_id=institution),
    }.get(user.role)
    own = _best_case(own_scope) if own_scope is not None else None
    foreign = _best_case(
        ~Q(institution_id=institution)
        & (Q(proceeding_institution__isnull=True) | ~Q(proceeding_institution_id=institution))
    )
    return (
        {"code": own.person.code} if own else None,
        {"code": foreign.person.code} if foreign else None,
    )


def _mine_and_other(queryset: Any, mine: Q) -> tuple[Any, Any]:
    return queryset.filter(mine).order_by("pk").first(), queryset.exclude(mine).order_by(
        "pk"
    ).first()


def _objects(kind: str, user: User) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(own, foreign) URL arguments of an object of the kind, None where the demo has none."""
    institution = user.institution_id
    if kind == "case":
        return _cases(user)
    if kind == "permit_request":
        mine = (
            Q(migration_office_id=institution)
            | Q(track__case__institution_id=institution)
            | Q(track__case__proceeding_institution_id=institution)
        )
        pair = _mine_and_other(PermitRequest.objects.all(), mine)
    elif kind == "proceeding":
        mine = Q(institution_id=institution) | Q(stages__institution_id=institution)
        pair = _mine_and_other(Proceeding.objects.distinct(), mine)
    elif kind == "activity":
        pair = _mine_and_other(DetectionRecord.objects.all(), Q(institution_id=institution))
        return tuple(  # type: ignore[return-value]
            {"slug": "detection", "pk": o.pk} if o else None for o in pair
        )
    elif kind == "meeting":
        pair = _mine_and_other(Meeting.objects.all(), Q(institution_id=institution))
    elif kind == "agenda_item":
        pair = _mine_and_other(AgendaItem.objects.all(), Q(meeting__institution_id=institution))
    elif kind == "submission":
        pair = _mine_and_other(Submission.objects.all(), Q(institution_id=institution))
    elif kind == "link_candidate":
        mine = Q(case_a__institution_id=institution) | Q(case_b__institution_id=institution)
        pair = _mine_and_other(LinkCandidate.objects.all(), mine)
    elif kind == "import_job":
        pair = _mine_and_other(ImportJob.objects.all(), Q(owner_id=user.pk))
    elif kind == "referral":
        # Open referrals first, so that the provider's answer pages have one to answer.
        mine = Q(provider_id=institution) | Q(referring_institution_id=institution)
        referrals = Referral.objects.annotate(
            answered=Exists(Referral.objects.filter(pk=OuterRef("pk"), answered_at__isnull=False))
        ).order_by("answered", "pk")
        pair = referrals.filter(mine).first(), referrals.exclude(mine).first()
        return tuple(  # type: ignore[return-value]
            {"reference": o.reference} if o else None for o in pair
        )
    else:
        raise AssertionError(f"no demo objects for the kind {kind!r}: add them to this test")
    return tuple({"pk": o.pk} if o else None for o in pair)  # type: ignore[return-value]


PLACEHOLDER = re.compile(r"[{<](?:\w+:)?(\w+)[}>]")


def _url(key: str, route: Route, arguments: dict[str, Any]) -> tuple[str, str]:
    """(method, URL) of a table entry with the given object arguments."""
    values = {**route.kwargs, **arguments}
    if key.endswith(":*"):
        return "GET", reverse(f"{key[:-2]}:index")
    if " " in key:  # an API operation: "METHOD /path/{name}"
        method, template = key.split(" ", 1)
        return method, PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)
    if key.startswith("/"):  # an unnamed pattern
        return "GET", PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), key)
    names = set(PLACEHOLDER.findall(_pattern_of(key)))
    return "GET", reverse(key, kwargs={k: v for k, v in values.items() if k in names})


@functools.cache
def _pattern_of(key: str) -> str:
    from thb.core.routes import page_routes

    return page_routes()[key]


def _request(client: Client, method: str, url: str, route: Route, arguments: dict[str, Any]) -> Any:
    if method == "GET":
        return client.get(url)
    body = {
        name: value.format(**arguments) if isinstance(value, str) else value
        for name, value in (route.body or {}).items()
    }
    return client.generic(method, url, data=_json(body), content_type="application/json")


def _json(body: dict[str, Any]) -> str:
    import json

    return json.dumps(body)


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


@dataclass
class Request:
    key: str
    persona: str
    route: Route
    method: str
    url: str
    arguments: dict[str, Any]
    expected: int


def _requests(demo: Demo) -> Iterator[Request]:
    """Every request of the walk, with the status the table expects."""
    objects: dict[tuple[str, str], tuple[Any, Any]] = {}
    for key, entry in sorted(route_table().items()):
        for persona, user in demo.users.items():
            if entry.kind is None:
                method, url = _url(key, entry, {})
                yield Request(key, persona, entry, method, url, {}, entry.expected(persona))
                continue
            if (entry.kind, persona) not in objects:
                objects[entry.kind, persona] = _objects(entry.kind, user)
            own, foreign = objects[entry.kind, persona]
            for arguments, is_foreign in ((own, False), (foreign, True)):
                if arguments is not None:
                    method, url = _url(key, entry, arguments)
                    expected = entry.expected(persona, foreign=is_foreign)
                    yield Request(key, persona, entry, method, url, arguments, expected)


def _anonymous_expected(key: str, route: Route) -> int:
    if route.anonymous is not None:
        return route.anonymous
    return 401 if " " in key else 302


@dataclass
class Answer:
    request: Request
    status: int
    location: str
    shown: set[str]  # case codes in the body
    audited: set[str]  # case codes named by the read events the request wrote


def _ask(client: Client, r: Request, demo: Demo, user: User | None) -> Answer:
    """One request, in a transaction rolled back afterwards (an API write, and the audit
    events, are undone before the next request)."""
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = _request(client, r.method, r.url, r.route, r.arguments)
        body = _body(response) if response.status_code == 200 else ""
        shown = {code for code in demo.codes if code in body}
        audited: set[str] = set()
        if shown and user is not None:
            for details in AuditEvent.objects.filter(
                id__gt=last, actor=user, action="read"
            ).values_list("details", flat=True):
                audited.update(details.get("codes", []))
                audited.add(details.get("code", ""))
        transaction.set_rollback(True)
    return Answer(r, response.status_code, response.get("Location", ""), shown, audited)


@dataclass
class Walk:
    answers: list[Answer]  # every persona's
    anonymous: list[Answer]  # one per route

    @functools.cached_property
    def _statuses(self) -> dict[tuple[str, str], int]:
        return {
            (a.request.persona, a.request.url): a.status
            for a in self.answers
            if a.request.method == "GET"
        }

    def status(self, persona: str, url: str) -> int | None:
        """The status the persona got for a GET of the URL in the walk, if it asked."""
        return self._statuses.get((persona, url))


@pytest.fixture(scope="module")
def walk(demo: Demo, django_db_blocker: Any) -> Walk:
    """Every route requested as every persona (own and foreign objects) and once
    anonymously; both tests below read the same answers."""
    clients: dict[str, Client] = {}
    for persona, user in demo.users.items():
        clients[persona] = Client(raise_request_exception=False)
        clients[persona].force_login(user)
    anonymous = Client(raise_request_exception=False)
    result = Walk([], [])
    asked: set[str] = set()
    with django_db_blocker.unblock():
        for r in _requests(demo):
            result.answers.append(_ask(clients[r.persona], r, demo, demo.users[r.persona]))
            if r.key not in asked:
                asked.add(r.key)
                result.anonymous.append(_ask(anonymous, r, demo, None))
    return result


def _status_problems(walk: Walk) -> list[str]:
    problems = [
        f"{a.request.key} as {a.request.persona}: {a.request.method} {a.request.url} "
        f"{a.status} != {a.request.expected}"
        for a in walk.answers
        if a.status != a.request.expected
    ]
    for a in walk.anonymous:
        r = a.request
        if a.status != _anonymous_expected(r.key, r.route):
            problems.append(f"{r.key} anonymous: {r.method} {r.url} {a.status}")
        # A 302 by default (not declared) means: to THB's login page.
        elif r.route.anonymous is None and a.status == 302 and not a.location.startswith(LOGIN):
            problems.append(f"{r.key} anonymous: sent to {a.location}")
    return problems


def _audit_problems(walk: Walk) -> list[str]:
    """A 200 that shows a case code has written an audit event naming it, in the same
    request; and a route that shows codes is marked so in the table."""
    problems = [
        f"{a.request.key} as {a.request.persona}: shows {sorted(a.shown - a.audited)} unaudited"
        for a in walk.answers + walk.anonymous
        if a.shown - a.audited
    ]
    shown_by = {a.request.key for a in walk.answers if a.shown}
    marked = {key for key, entry in route_table().items() if entry.shows_codes}
    problems += [f"{key} shows case codes but is not marked" for key in sorted(shown_by - marked)]
    return problems


@pytest.mark.django_db
def test_every_route_answers_as_declared_and_audits_the_case_codes_it_shows(walk: Walk) -> None:
    """One test for both, so that the walk runs once even when the suite is spread over
    several workers."""
    problems = _status_problems(walk) + _audit_problems(walk)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_link_of_the_home_page_opens_for_its_persona(demo: Demo, walk: Walk) -> None:
    """The navigation asks the same policies as the pages: no persona is shown a link
    to a page that refuses it. (A link the walk requested as the persona has its
    answer there: the same GET by the same user on the same data.)"""
    problems: list[str] = []
    for persona, user in demo.users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        links = set(re.findall(r'href="(/[^"?#]*)', _body(client.get("/"))))
        for link in sorted(links - {"/", "/accounts/logout/"}):
            if link.startswith(("/static/", "/i18n/")):
                continue
            status = walk.status(persona, link)
            if status is None:
                status = client.get(link).status_code
            if status not in (200, 302):
                problems.append(f"{persona}: the home page links to {link}, which answers {status}")
    assert not problems, "\n".join(problems)
