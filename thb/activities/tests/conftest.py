from collections.abc import Callable
from datetime import date

import pytest

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.activities.models import DetectionRecord
from thb.activities.record_types import TYPES
from thb.activities.services import record_save


@pytest.fixture
def inspectorate(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("vbtai", InstitutionKind.CHILDRENS_RIGHTS, "VBTAI")


@pytest.fixture
def reporter(make_user: Callable[..., User], inspectorate: Institution) -> User:
    """The owner: the reporter of the institution whose records are under test."""
    return make_user("reporter", Role.REPORTER, inspectorate)


@pytest.fixture
def other_reporter(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> User:
    """A colleague: a reporter at another institution."""
    return make_user(
        "other-reporter",
        Role.REPORTER,
        make_institution("vdi", InstitutionKind.LABOUR_INSPECTORATE),
    )


@pytest.fixture
def inspection(reporter: User) -> DetectionRecord:
    record, _ = record_save(
        actor=reporter,
        record_type=TYPES["detection"],
        values={"kind": "inspection", "date": date(2020, 5, 4), "place_type": "out_of_family_care"},
    )
    assert isinstance(record, DetectionRecord)
    return record
