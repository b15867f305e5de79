"""Who may open a victim's records, across the whole system, with the demo data: each
demo role requests the same person-record pages and API endpoints and gets what
docs/users.md and docs/privacy.md promise (200, or 403 for a role with no business
there, or 404 outside its scope). The identity (the decrypted surname) appears only
in responses to the owning caseworkers and the process director of the proceeding;
every page or endpoint that answers 200 with a person's record audits the read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from thb.accounts.models import User
from thb.audit.models import AuditEvent
from thb.victims.models import Case, CaseStatus, PersonIdentity

USERS = [
    "marta",
    "drosamaja",
    "komisija",
    "policija",
    "robezsardze",
    "vdi",
    "labklajiba",
    "jpa",
    "koordinators",
    "auditors",
    "admin",
]

CASE_ROLES = ("marta", "drosamaja", "komisija", "policija")


@dataclass
class Target:
    """A URL, the status each user gets (others: `default`), and who sees the identity."""

    url: str
    default: int
    status: dict[str, int]
    identity_for: set[str] = field(default_factory=set)


def _demo_cases() -> tuple[Case, Case, Case]:
    marta = Case.objects.filter(institution__code="marta", status=CaseStatus.RECOGNISED)
    # Routed to the State Police's proceeding (policija sees it, with the identity).
    in_proceeding = marta.filter(proceeding_institution__code="vp", support_plan__isnull=False)
    # Put before the commission (komisija sees it, without the identity).
    before_commission = marta.filter(
        submitted_to_commission_on__isnull=False, proceeding_institution__isnull=True
    )
    # The demo's residence tracks are Drošā māja's victims in State Police proceedings.
    with_track = Case.objects.filter(
        residence_track__isnull=False, proceeding_institution__code="vp"
    )
    return (
        in_proceeding.first(),  # type: ignore[return-value]
        before_commission.first(),
        with_track.first(),
    )


def _targets(a: str, b: str, r: str) -> list[Target]:
    return [
        # Case A: Centrs MARTA's victim in a State Police proceeding, with a plan.
        Target(f"/cases/{a}/", 404, {"marta": 200, "policija": 200}, {"marta", "policija"}),
        Target(f"/cases/{a}/profile/", 404, {"marta": 200, "policija": 403}, {"marta"}),
        Target(f"/cases/{a}/routing/", 404, {"marta": 200, "policija": 200}),
        Target(f"/support/plans/{a}/", 403, {"marta": 200, "drosamaja": 404}),
        Target(f"/support/plans/{a}/services/", 403, {"marta": 200, "drosamaja": 404}),
        Target(f"/api/v1/cases/{a}", 404, {"marta": 200, "policija": 200}),
        Target(f"/api/v1/support/plans/{a}", 404, {"marta": 200}),
        # Case B: Centrs MARTA's victim before its specialist commission.
        Target(f"/cases/{b}/", 404, {"marta": 200, "komisija": 200}, {"marta"}),
        Target(f"/cases/{b}/decision/", 404, {"marta": 200, "komisija": 200}),
        Target(f"/api/v1/cases/{b}", 404, {"marta": 200, "komisija": 200}),
        # Case R: Drošā māja's victim with a residence track, in a State Police proceeding.
        Target(f"/cases/{r}/", 404, {"drosamaja": 200, "policija": 200}, {"drosamaja", "policija"}),
        Target(
            f"/residence/{r}/",
            403,
            {"drosamaja": 200, "policija": 200, "marta": 404},
        ),
        Target(f"/api/v1/residence/{r}", 404, {"drosamaja": 200, "policija": 200}),
        # Lists: only the roles that work with cases.
        Target("/cases/", 403, dict.fromkeys(CASE_ROLES, 200)),
        Target("/api/v1/cases/", 403, dict.fromkeys(CASE_ROLES, 200)),
    ]


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_every_demo_role_gets_exactly_its_share_of_a_victims_records() -> None:
    case_a, case_b, case_r = _demo_cases()
    assert case_a and case_b and case_r, "the demo no longer has the cases this test needs"
    surnames = {
        case.person.code: PersonIdentity.objects.get(person=case.person).surname
        for case in (case_a, case_b, case_r)
    }
    assert all(surnames.values())
    targets = _targets(case_a.person.code, case_b.person.code, case_r.person.code)

    anonymous = Client()
    for target in targets:
        assert anonymous.get(target.url).status_code in (302, 401), target.url

    problems: list[str] = []
    for username in USERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for target in targets:
            reads_before = AuditEvent.objects.filter(actor=user, action="read").count()
            response = client.get(target.url)
            expected = target.status.get(username, target.default)
            if response.status_code != expected:
                problems.append(f"{username} {target.url}: {response.status_code} != {expected}")
                continue
            body = _body(response)
            for code, surname in surnames.items():
                shown = surname in body
                allowed = code in target.url and username in target.identity_for
                if shown != allowed:
                    problems.append(
                        f"{username} {target.url}: identity of {code} "
                        f"{'shown' if shown else 'missing'}"
                    )
            if expected == 200:
                reads = AuditEvent.objects.filter(actor=user, action="read").count()
                if reads == reads_before:
                    problems.append(f"{username} {target.url}: the read was not audited")
    assert not problems, "\n".join(problems)
