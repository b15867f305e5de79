"""Personas for the justice pages: the investigator who owns a proceeding, an
investigator at another police unit (colleague), a border-guard reporter (outsider),
the prosecutor and court the case moves to, and the coordinator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.justice.models import Proceeding, Suspect
from thb.justice.services import ProceedingData, SuspectData, proceeding_create, suspect_save


@pytest.fixture
def investigator(make_user: Callable[..., User], police: Institution) -> User:
    return make_user("investigator", Role.PROCESS_DIRECTOR, police)


@pytest.fixture
def other_investigator(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> User:
    unit = make_institution("vp-latgale", InstitutionKind.STATE_POLICE, "VP Latgale")
    return make_user("other_investigator", Role.PROCESS_DIRECTOR, unit)


@pytest.fixture
def prosecutors(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("prokuratura", InstitutionKind.PROSECUTOR, "Prokuratūra")


@pytest.fixture
def court(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("tiesas", InstitutionKind.COURT, "Tiesa")


@pytest.fixture
def prosecutor(make_user: Callable[..., User], prosecutors: Institution) -> User:
    return make_user("prosecutor", Role.PROCESS_DIRECTOR, prosecutors)


@pytest.fixture
def court_reporter(make_user: Callable[..., User], court: Institution) -> User:
    return make_user("court_reporter", Role.REPORTER, court)


@pytest.fixture
def proceeding(investigator: User) -> Proceeding:
    return proceeding_create(
        actor=investigator,
        data=ProceedingData(
            number="11816000120",
            sections=["154.1"],
            started_on=date(2020, 2, 3),
            exploitation_form="labour",
            sector="construction",
        ),
    )


@pytest.fixture
def suspect(investigator: User, proceeding: Proceeding) -> Suspect:
    return suspect_save(
        actor=investigator,
        proceeding=proceeding,
        data=SuspectData(label="A", sex="male", citizenship="LV", suspected_on=date(2020, 2, 10)),
    )
