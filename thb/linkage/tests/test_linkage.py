"""Record linkage end to end: the same woman recorded by Centrs MARTA and by Drošā
māja, her names spelt differently, is proposed by `thb linkage run`, confirmed by
both owners (page and API) and counted once in victims.identified; neither side sees
the other's identity or case at any step. Policy and scope of the review queue."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.audit.models import AuditEvent
from thb.linkage.models import CandidateStatus, LinkCandidate, PersonKeys
from thb.linkage.services import candidate_confirm, candidate_reject, keyer, linkage_run
from thb.reports.catalogue import compute_figures
from thb.victims.models import Case
from thb.victims.services import (
    ExploitationProfile,
    Identity,
    Intake,
    VictimProfile,
    case_create,
    case_update_profile,
    decision_record,
)

pytestmark = pytest.mark.django_db
CRITERIA = ["act_recruitment_transport", "means_deception", "purpose_exploitation"]
BORN = date(1994, 3, 12)


def _case(
    actor: User,
    given: str,
    surname: str,
    born: date | None,
    *,
    code: str = "",
    decided: date | None = date(2020, 6, 1),
    intake: date = date(2020, 3, 2),
) -> Case:
    case = case_create(
        actor=actor,
        intake=Intake(
            intake_date=intake,
            referral_channel="self",
            victim=VictimProfile(sex="female", citizenship="LV", education="secondary"),
            identity=Identity(
                given_names=given, surname=surname, date_of_birth=born, personal_code=code
            ),
            exploitation=ExploitationProfile(
                forms=(("sexual", ""),), places=(("LV", "riga"),), recruitment_method="internet"
            ),
        ),
    )
    if decided is not None:
        decision_record(
            actor=actor,
            case=case,
            kind="commission",
            decided_on=decided,
            recognised=True,
            criteria_met=CRITERIA,
            members="Sociālais darbinieks\nJurists",
        )
        case.refresh_from_db()
    return case


def _identified(year: int = 2020) -> int:
    return int(compute_figures(year, ["victims.identified"])["victims.identified"])


@pytest.fixture
def marta(owner: User) -> User:
    return owner


@pytest.fixture
def drosa_maja(colleague: User) -> User:
    return colleague


@pytest.fixture
def pair(marta: User, drosa_maja: User) -> tuple[Case, Case]:
    """The same woman at both providers (Latvian and Cyrillic spelling), and two other
    persons, one at each."""
    at_marta = _case(marta, "Natālija", "Kuzņecova", BORN, decided=date(2020, 5, 4))
    at_drosa_maja = _case(drosa_maja, "Наталья", "Кузнецова", BORN, decided=date(2020, 9, 1))
    _case(marta, "Jānis", "Bērziņš", date(1980, 1, 5))
    _case(drosa_maja, "Anna", "Ozola", date(1990, 7, 9))
    return at_marta, at_drosa_maja


def _body(response: Any) -> str:
    return response.content.decode()


def _assert_nothing_of(body: str, case: Case, *plain: str) -> None:
    assert case.person.code not in body
    for value in plain:
        assert value not in body


def test_keys_hold_hashes_only_and_fold_the_spellings(pair: tuple[Case, Case]) -> None:
    at_marta, at_drosa_maja = pair
    keys_m = PersonKeys.objects.get(person_id=at_marta.person_id)
    keys_d = PersonKeys.objects.get(person_id=at_drosa_maja.person_id)
    assert keys_m.institution_id == at_marta.institution_id
    stored = [getattr(keys_m, f) for f in ("given", "surname", "given_fold", "birth_date")]
    assert all(value and len(value) == 16 and int(value, 16) >= 0 for value in stored)
    # Written differently, folded and phonetic keys agree; the as-written keys do not.
    assert keys_m.surname != keys_d.surname
    assert keys_m.surname_fold == keys_d.surname_fold
    assert keys_m.given_fold == keys_d.given_fold
    assert keys_m.surname_dm == keys_d.surname_dm
    assert keys_m.birth_date == keys_d.birth_date
    # No plain or normalised value is stored.
    plain = keyer().values("Natālija", "Kuzņecova", BORN, "")
    row = {f.name: getattr(keys_m, f.attname) for f in PersonKeys._meta.concrete_fields}
    assert not set(plain.values()) - {""} & {str(v) for v in row.values()}


def test_same_person_at_two_providers_is_proposed_confirmed_and_counted_once(
    pair: tuple[Case, Case],
    marta: User,
    drosa_maja: User,
    client_for: Callable[..., Client],
) -> None:
    at_marta, at_drosa_maja = pair
    assert _identified() == 4
    out = StringIO()
    call_command("linkage", "run", stdout=out)
    printed = out.getvalue()
    assert "pairs compared: 1" in printed
    assert "candidates at threshold" in printed and "time:" in printed
    candidate = LinkCandidate.objects.get()
    assert {candidate.case_a_id, candidate.case_b_id} == {at_marta.pk, at_drosa_maja.pk}
    assert candidate.score >= 0.9
    assert "birth_date" in candidate.matched and "surname_folded" in candidate.matched

    identities = ("Natālija", "Kuzņecova", "Наталья", "Кузнецова", "1994")
    m_client, d_client = client_for(marta, "en"), client_for(drosa_maja, "en")
    for client, own, other in (
        (m_client, at_marta, at_drosa_maja),
        (d_client, at_drosa_maja, at_marta),
    ):
        listing = _body(client.get("/linkage/"))
        assert f"/linkage/{candidate.pk}/" in listing
        detail = _body(client.get(f"/linkage/{candidate.pk}/"))
        assert own.person.code in detail
        assert other.institution.name in detail and "date of birth" in detail
        api = client.get("/api/v1/linkage/candidates").json()
        assert [item["id"] for item in api] == [candidate.pk]
        assert api[0]["other_institution"] == other.institution.code
        assert api[0]["own_case_code"] is None
        one = client.get(f"/api/v1/linkage/candidates/{candidate.pk}").json()
        assert one["own_case_code"] == own.person.code
        for body in (listing, detail, json.dumps([api, one], ensure_ascii=False)):
            _assert_nothing_of(body, other, *identities)

    # MARTA confirms on the page: not linked yet, still counted twice.
    response = m_client.post(f"/linkage/{candidate.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN and candidate.confirmed_a_at is not None
    assert _identified() == 4
    after = _body(d_client.get(f"/linkage/{candidate.pk}/"))
    assert "confirmed" in after
    _assert_nothing_of(after, at_marta, *identities)

    # Drošā māja confirms through the API: linked, counted once.
    answer = d_client.post(f"/api/v1/linkage/candidates/{candidate.pk}/confirm")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["status"] == "linked" and data["own_confirmed"] and data["other_confirmed"]
    _assert_nothing_of(json.dumps(data, ensure_ascii=False), at_marta, *identities)
    at_marta.refresh_from_db()
    at_drosa_maja.refresh_from_db()
    assert at_marta.linked_group == at_drosa_maja.linked_group == at_marta.pk
    assert _identified() == 3
    figures = compute_figures(2020, ["victims.identified.women", "linkage.links_applied"])
    assert figures["linkage.links_applied"] == 1
    # Every step is audited.
    steps = list(
        AuditEvent.objects.filter(object_type="linkage.linkcandidate", action="update")
        .order_by("seq")
        .values_list("details__step", flat=True)
    )
    assert steps == ["confirmed", "linked"]
    assert AuditEvent.objects.filter(
        object_type="linkage.linkcandidate", action="create", object_id=str(candidate.pk)
    ).exists()
    # A second run proposes nothing new.
    assert linkage_run().new_candidates == 0


def test_one_sided_and_rejected_pairs_leave_both_counted(
    pair: tuple[Case, Case], marta: User, drosa_maja: User
) -> None:
    linkage_run()
    candidate = LinkCandidate.objects.get()
    candidate_confirm(actor=marta, candidate=candidate)
    with pytest.raises(ValidationError):
        candidate_confirm(actor=marta, candidate=candidate)
    candidate_reject(actor=drosa_maja, candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED
    assert _identified() == 4
    assert not Case.objects.filter(linked_group__isnull=False).exists()
    assert linkage_run().new_candidates == 0
    assert AuditEvent.objects.filter(details__step="rejected").count() == 1


def test_different_persons_are_not_proposed(marta: User, drosa_maja: User) -> None:
    _case(marta, "Natālija", "Kuzņecova", BORN)
    _case(drosa_maja, "Natālija", "Kuzņecova", date(1971, 11, 30))
    _case(drosa_maja, "Jeļena", "Kalniņa", BORN)
    report = linkage_run()
    assert report.candidates == 0 and not LinkCandidate.objects.exists()


def test_two_cases_of_one_institution_are_never_compared(marta: User) -> None:
    _case(marta, "Natālija", "Kuzņecova", BORN)
    _case(marta, "Наталья", "Кузнецова", BORN)
    assert linkage_run().pairs_compared == 0


def test_an_identity_update_rekeys(pair: tuple[Case, Case], drosa_maja: User) -> None:
    _at_marta, at_drosa_maja = pair
    before = PersonKeys.objects.get(person_id=at_drosa_maja.person_id).surname_fold
    case_update_profile(
        actor=drosa_maja,
        case=at_drosa_maja,
        victim=VictimProfile(sex="female", citizenship="LV", education="secondary"),
        exploitation=ExploitationProfile(forms=(("sexual", ""),), places=(("LV", "riga"),)),
        identity=Identity(given_names="Анна", surname="Петрова", date_of_birth=date(1985, 2, 1)),
    )
    after = PersonKeys.objects.get(person_id=at_drosa_maja.person_id).surname_fold
    assert before != after
    assert linkage_run().candidates == 0


def test_rekey_recomputes_every_key(pair: tuple[Case, Case]) -> None:
    PersonKeys.objects.all().delete()
    out = StringIO()
    call_command("linkage", "rekey", stdout=out)
    assert "keys recomputed for 4 persons" in out.getvalue()
    assert PersonKeys.objects.count() == 4
    assert AuditEvent.objects.filter(details__purpose="linkage_rekey").exists()


def test_only_the_two_owners_caseworkers_review(
    pair: tuple[Case, Case],
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
    outsider: User,
    coordinator: User,
    client_for: Callable[..., Client],
) -> None:
    linkage_run()
    candidate = LinkCandidate.objects.get()
    third = make_user(
        "third",
        Role.CASEWORKER,
        make_institution("patvērums", InstitutionKind.SERVICE_PROVIDER, "Patvērums"),
    )
    commission = make_user("komisija", Role.COMMISSION_MEMBER, pair[0].institution)
    for user in (outsider, coordinator, commission):
        client = client_for(user)
        assert client.get("/linkage/").status_code == 403
        assert client.get(f"/linkage/{candidate.pk}/").status_code == 403
        assert client.get("/api/v1/linkage/candidates").status_code == 403
        posted = client.post(f"/api/v1/linkage/candidates/{candidate.pk}/confirm")
        assert posted.status_code == 403
    client = client_for(third)
    assert client.get("/linkage/").status_code == 200
    assert f"/linkage/{candidate.pk}/" not in _body(client.get("/linkage/"))
    assert client.get(f"/linkage/{candidate.pk}/").status_code == 404
    assert client.get("/api/v1/linkage/candidates").json() == []
    assert client.post(f"/api/v1/linkage/candidates/{candidate.pk}/confirm").status_code == 404
    assert client.post(f"/linkage/{candidate.pk}/", {"action": "reject"}).status_code == 404
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN
    assert candidate.confirmed_a_at is None and candidate.confirmed_b_at is None


def test_the_latvian_page_is_latvian(
    pair: tuple[Case, Case], marta: User, client_for: Callable[..., Client]
) -> None:
    linkage_run()
    candidate = LinkCandidate.objects.get()
    body = _body(client_for(marta, "lv").get(f"/linkage/{candidate.pk}/"))
    assert "Iespējamais dublikāts" in body and "dzimšanas datums" in body
    assert "Possible duplicate" not in body


def test_a_bulk_import_keys_its_persons(marta: User, drosa_maja: User) -> None:
    from django.db import transaction

    from thb.victims.services import CaseImport, cases_import_stage, cases_import_write

    _case(marta, "Natālija", "Kuzņecova", BORN)
    items = [
        CaseImport(
            intake=Intake(
                intake_date=date(2020, 4, 1),
                referral_channel="self",
                victim=VictimProfile(sex="female", citizenship="LV"),
                identity=Identity(given_names=given, surname=surname, date_of_birth=born),
                exploitation=ExploitationProfile(forms=(("sexual", ""),)),
            )
        )
        for given, surname, born in (
            ("Natalia", "Kuznetsova", BORN),
            ("Pēteris", "Kalniņš", date(1979, 4, 2)),
        )
    ]
    errors, staged = cases_import_stage(actor=drosa_maja, items=items)
    assert not errors
    with transaction.atomic():
        written = cases_import_write(actor=drosa_maja, staged=staged)
    persons = Case.objects.filter(pk__in=written.case_ids).values_list("person_id", flat=True)
    assert (
        PersonKeys.objects.filter(person_id__in=persons, institution=drosa_maja.institution).count()
        == 2
    )
    report = linkage_run()
    assert report.candidates == 1
