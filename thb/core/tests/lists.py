"""Helpers of the list tests (`test_query_counts.py` in each app): how many queries a
page costs, and every row of an API list read page by page."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client: Any, url: str) -> int:
    """The queries of a second GET of `url` (the first warms the caches); it must
    answer 200."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def every_row(client: Any, url: str, key: str, *, most: int) -> list[Any]:
    """`key` of every row of an API list, following its `X-Next-Cursor` to the end;
    fails once more than `most` rows came (a cursor that does not move on)."""
    found: list[Any] = []
    base = url.split("?")[0]
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        found += [row[key] for row in response.json()]
        assert len(found) <= most, f"more than {most} rows from {base}"
        cursor = response.headers.get("X-Next-Cursor")
        url = f"{base}?cursor={cursor}" if cursor else ""
    return found
