from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.utils import translation

from thb.accounts.models import Institution, InstitutionKind, Role, User


@pytest.fixture
def border_guard(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("vrs", InstitutionKind.BORDER_GUARD, "Valsts robežsardze")


@pytest.fixture
def reporter(make_user: Callable[..., User], border_guard: Institution) -> User:
    """The owner persona of the submission pages: a border-guard reporter."""
    return make_user("bg-reporter", Role.REPORTER, border_guard)


@pytest.fixture
def other_reporter(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> User:
    """A reporter at another institution."""
    vdi = make_institution("vdi", InstitutionKind.LABOUR_INSPECTORATE, "Valsts darba inspekcija")
    return make_user("vdi-reporter", Role.REPORTER, vdi)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    # Service and engine messages are asserted in English (msgids); pages choose their
    # language per request through LocaleMiddleware.
    with translation.override("en"):
        yield
