"""`--database-tests-only` (the PostgreSQL run of .ci/run) keeps every test that opens a
database, whichever way it asks for it, and leaves out only those that cannot."""

from __future__ import annotations

from typing import Any

import pytest

from thb.conftest import uses_database


def test_a_test_without_database_is_left_out(request: Any) -> None:
    assert not uses_database(request.node)


@pytest.mark.django_db
def test_the_django_db_mark_keeps_a_test(request: Any) -> None:
    assert uses_database(request.node)


def test_the_db_fixture_keeps_a_test(request: Any, db: None) -> None:
    assert uses_database(request.node)


def test_a_fixture_that_needs_the_database_keeps_a_test(request: Any, owner: Any) -> None:
    assert uses_database(request.node)


@pytest.mark.uses_database
def test_the_uses_database_mark_keeps_a_test(request: Any) -> None:
    assert uses_database(request.node)


def test_the_module_wide_mark_keeps_the_deploy_check() -> None:
    from thb.core.tests import test_settings

    assert any(m.name == "uses_database" for m in [test_settings.pytestmark])
