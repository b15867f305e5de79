"""Keyset (cursor) paging: every long list and API list endpoint reads one page with
one query, however deep the page (no OFFSET that counts past every earlier row).

A list declares its order as field names (a leading "-" for descending) ending in a
unique field, the tiebreaker (normally "-id" or "id"); the ordered fields must not be
null. A page's cursor is opaque (URL-safe base64 of the boundary row's values and the
direction); a cursor that does not decode is refused (ValueError), which the pages
treat as the first page and the API as 422.

    page = keyset_page(queryset, order=("-started_on", "-id"), cursor=request.GET.get("cursor"))
    page.items, page.next, page.previous

The page size is the setting THB_PAGE_SIZE (default 50); the API may ask for fewer or
more with `limit`, up to THB_PAGE_SIZE_MAX.

A page that says how many rows the list has counts them with `bounded_count`: at most
THB_LIST_COUNT_MAX (default 1000), then "more than" that, so that the count, like the
page, reads a bounded number of rows however large the table.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse

T = TypeVar("T", bound=Model)
R = TypeVar("R")


def page_size(limit: int | None = None) -> int:
    """The page size asked for, within 1..THB_PAGE_SIZE_MAX (default THB_PAGE_SIZE)."""
    size = limit if limit is not None else int(getattr(settings, "THB_PAGE_SIZE", 50))
    return max(1, min(size, int(getattr(settings, "THB_PAGE_SIZE_MAX", 500))))


@dataclass
class Page(Generic[T]):
    items: list[T]
    next: str | None = None
    previous: str | None = None
    size: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    param: str = "cursor"
    """The query parameter of the cursor (a page with two lists names one of them)."""

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def url(self, request: HttpRequest, cursor: str | None) -> str:
        """The request's own URL with `cursor` in place of its cursor."""
        if cursor is None:
            return ""
        query = request.GET.copy()
        query[self.param] = cursor
        return f"{request.path}?{query.urlencode()}"

    def next_url(self, request: HttpRequest) -> str:
        return self.url(request, self.next)

    def previous_url(self, request: HttpRequest) -> str:
        return self.url(request, self.previous)

    def links(self, request: HttpRequest) -> dict[str, str]:
        """{"next": url, "previous": url} for the template core/pager.html."""
        return {"next": self.next_url(request), "previous": self.previous_url(request)}


@dataclass(frozen=True)
class Total:
    """A list's size as a page shows it: `count` rows, or more than `count` if `more`."""

    count: int
    more: bool


def bounded_count(queryset: QuerySet[Any], limit: int | None = None) -> Total:
    """How many rows `queryset` has, counting no further than `limit` (default
    THB_LIST_COUNT_MAX): one query, SELECT COUNT(*) FROM (SELECT ... LIMIT limit + 1),
    which reads at most limit + 1 index entries where COUNT(*) of the whole list reads
    every one (50 000 a provider at 1 000 000 victims: most of the case list's time)."""
    cap = limit if limit is not None else int(getattr(settings, "THB_LIST_COUNT_MAX", 1000))
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return Total(count=min(found, cap), more=found > cap)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, int | str | float | bool):
        return value
    raise TypeError(f"a keyset value of type {type(value).__name__} cannot be in a cursor")


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(str(value["dt"]))
        if "d" in value:
            return date.fromisoformat(str(value["d"]))
        if "n" in value:
            return Decimal(str(value["n"]))
        raise ValueError("not a cursor")
    if isinstance(value, int | str | float | bool):
        return value
    raise ValueError("not a cursor")


def encode(values: Sequence[Any], direction: str) -> str:
    body = json.dumps({"v": [_plain(v) for v in values], "d": direction}, separators=(",", ":"))
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def decode(cursor: str, fields: int) -> tuple[list[Any], str]:
    """(boundary values, "n" or "p") of a cursor; ValueError if it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        body = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        values = [_typed(v) for v in body["v"]]
        direction = body["d"]
    except (binascii.Error, UnicodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError("not a cursor") from exc
    if direction not in ("n", "p") or len(values) != fields:
        raise ValueError("not a cursor")
    return values, direction


def _after(order: Sequence[str], values: Sequence[Any], *, reverse: bool) -> Q:
    """Rows strictly after the boundary in `order` (before it when `reverse`)."""
    condition = Q()
    equal = Q()
    for name, value in zip(order, values, strict=True):
        descending = name.startswith("-")
        column = name.lstrip("-")
        later = "lt" if descending != reverse else "gt"
        condition |= equal & Q(**{f"{column}__{later}": value})
        equal &= Q(**{column: value})
    return condition


def _values(item: Model, order: Sequence[str]) -> list[Any]:
    values = []
    for name in order:
        value: Any = item
        for part in name.lstrip("-").split("__"):
            value = getattr(value, part)
        values.append(value.pk if isinstance(value, Model) else value)
    return values


def keyset_page(
    queryset: QuerySet[T],
    *,
    order: Sequence[str],
    cursor: str | None = None,
    size: int | None = None,
) -> Page[T]:
    """One page of `queryset` in `order` (ending in a unique field), after (or before)
    the cursor's row. One query: the page and one row more, to know whether the list
    goes on."""
    size = page_size(size)
    direction = "n"
    if cursor:
        values, direction = decode(cursor, len(order))
        queryset = queryset.filter(_after(order, values, reverse=direction == "p"))
        started = True
    else:
        started = False
    if direction == "p":
        reversed_order = [name[1:] if name.startswith("-") else f"-{name}" for name in order]
        rows = list(queryset.order_by(*reversed_order)[: size + 1])
        more_before = len(rows) > size
        items = list(reversed(rows[:size]))
        previous = encode(_values(items[0], order), "p") if more_before and items else None
        following = encode(_values(items[-1], order), "n") if items else None
        return Page(items=items, next=following, previous=previous, size=size)
    rows = list(queryset.order_by(*order)[: size + 1])
    items = rows[:size]
    following = encode(_values(items[-1], order), "n") if len(rows) > size else None
    previous = encode(_values(items[0], order), "p") if started and items else None
    return Page(items=items, next=following, previous=previous, size=size)


def request_page(
    request: HttpRequest,
    queryset: QuerySet[T],
    *,
    order: Sequence[str],
    size: int | None = None,
    param: str = "cursor",
) -> Page[T]:
    """A page's list from its ?cursor= (or the `param` a page with two lists names for
    one of them); a cursor that is not one is the first page."""
    try:
        page = keyset_page(queryset, order=order, cursor=request.GET.get(param), size=size)
    except ValueError:
        page = keyset_page(queryset, order=order, size=size)
    page.param = param
    return page


def api_page(read: Callable[..., R], **kwargs: Any) -> R:
    """Call a selector that reads a page; a cursor that is not one is a 422 naming
    the parameter (thb/api.py turns ValidationError into 422)."""
    try:
        return read(**kwargs)
    except ValueError as exc:
        raise ValidationError({"cursor": "not a cursor of this list"}) from exc


def api_list_page(
    request: HttpRequest,
    response: HttpResponse,
    queryset: QuerySet[T],
    *,
    order: Sequence[str],
    cursor: str | None,
    limit: int | None,
) -> Page[T]:
    """One page of an API list endpoint (`?cursor=`, `?limit=`; a cursor that is not
    one is a 422 naming it), with its next and previous pages in the response's
    headers (`set_page_headers`)."""
    page = api_page(keyset_page, queryset=queryset, order=order, cursor=cursor, size=limit)
    set_page_headers(request, response, page)
    return page


def set_page_headers(request: HttpRequest, response: HttpResponse, page: Page[Any]) -> None:
    """The next (and previous) page of an API list: `X-Next-Cursor` and an RFC 8288
    `Link` header (rel="next", rel="prev") with the full URL, as GitHub's API does; the
    body stays the list itself."""
    links = []
    if page.next:
        response["X-Next-Cursor"] = page.next
        links.append(f'<{request.build_absolute_uri(page.next_url(request))}>; rel="next"')
    if page.previous:
        links.append(f'<{request.build_absolute_uri(page.previous_url(request))}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
