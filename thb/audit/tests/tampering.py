"""Changing the audit table behind the model's back, as someone with database access
would, for the tests that prove such changes are found."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def tampering() -> Iterator[None]:
    """On PostgreSQL the append-only trigger is bypassed the way a database superuser
    could (replication role: ordinary triggers do not fire), for this transaction only."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
