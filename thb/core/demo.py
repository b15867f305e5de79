"""The demo data set's users, and the context passed to each app's `demo.load(ctx)`.
The institutions are the country profile's (institutions.yaml), created as `thb setup`
creates them. Everything else is synthetic; the password is for local use only."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from thb.accounts.models import Institution, Role, User

DEMO_PASSWORD = "demo-THB-2020!"  # noqa: S105  (printed at set-up; local demo only)

# username, role, institution code (of the profile's institutions.yaml), description
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("marta", Role.CASEWORKER, "marta", "caseworker, Centrs MARTA"),
    ("drosamaja", Role.CASEWORKER, "drosa-maja", "caseworker, Patvērums Drošā māja"),
    ("komisija", Role.COMMISSION_MEMBER, "marta", "specialist commission member, Centrs MARTA"),
    ("policija", Role.PROCESS_DIRECTOR, "vp", "process director (investigator), State Police"),
    ("prokurors", Role.PROCESS_DIRECTOR, "prokuratura", "process director (prosecutor)"),
    ("robezsardze", Role.REPORTER, "vrs", "institution reporter, State Border Guard"),
    ("vdi", Role.REPORTER, "vdi", "institution reporter, State Labour Inspectorate"),
    ("labklajiba", Role.REPORTER, "lm", "Ministry of Welfare contact (funding)"),
    ("jpa", Role.REPORTER, "jpa", "Legal Aid Administration (state compensation)"),
    # Activity reporters (thb.activities): each institution enters its own returns.
    ("vbtai", Role.REPORTER, "vbtai", "institution reporter, VBTAI (inspections, 116111)"),
    ("konsuli", Role.REPORTER, "am-konsuli", "institution reporter, consular service"),
    ("rigas-sd", Role.REPORTER, "riga-sd", "institution reporter, Riga Social Service"),
    ("skalbes", Role.REPORTER, "skalbes", "institution reporter, Skalbes (helpline 116006)"),
    ("vpkoledza", Role.REPORTER, "vp-koledza", "institution reporter, State Police College"),
    ("lpmc", Role.REPORTER, "lpmc", "institution reporter, Latvian Municipal Training Centre"),
    ("ltmc", Role.REPORTER, "ltmc", "institution reporter, Latvian Judicial Training Centre"),
    (
        "vrskoledza",
        Role.REPORTER,
        "vrs-koledza",
        "institution reporter, State Border Guard College",
    ),
    ("tiesibsargs", Role.REPORTER, "tiesibsargs", "institution reporter, Office of the Ombudsman"),
    ("marta-parskats", Role.REPORTER, "marta", "institution reporter, Centrs MARTA (helpline)"),
    (
        "drosamaja-parskats",
        Role.REPORTER,
        "drosa-maja",
        "institution reporter, Drošā māja (helpline)",
    ),
    ("vp-parskats", Role.REPORTER, "vp", "institution reporter, State Police (detection)"),
    ("pmlp", Role.REPORTER, "pmlp", "institution reporter, PMLP"),
    ("tiesa", Role.REPORTER, "tiesas", "court reporter, Court Administration"),
    (
        "robezsardze-pd",
        Role.PROCESS_DIRECTOR,
        "vrs",
        "process director (investigator), Border Guard",
    ),
    (
        "prokuratura",
        Role.REPORTER,
        "prokuratura",
        "institution reporter, Prosecutor's Office (training)",
    ),
    ("koordinators", Role.COORDINATOR, "iem", "national coordinator, Ministry of the Interior"),
    ("auditors", Role.AUDITOR, "iem", "data protection officer (audit log)"),
    ("admin", Role.ADMINISTRATOR, "iem", "administrator (users and institutions)"),
]


@dataclass
class DemoContext:
    stdout: Any = None
    rng: random.Random = field(default_factory=lambda: random.Random(2020))
    institutions: dict[str, Institution] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    # Anything one app's demo leaves for a later app's (e.g. case ids by tag).
    shared: dict[str, Any] = field(default_factory=dict)


def demo_loaded() -> bool:
    return Institution.objects.filter(code="marta").exists()


def load_institutions_and_users(ctx: DemoContext) -> None:
    """Through the administration's services (actor None: the installation itself), so
    the demo's accounts are validated and audited like an administrator's."""
    from thb.accounts.services import institutions_from_profile, user_create

    for synced in institutions_from_profile(actor=None):
        ctx.institutions[synced.institution.code] = synced.institution
    for username, role, institution_code, _description in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            administrator = role == Role.ADMINISTRATOR
            user = user_create(
                actor=None,
                username=username,
                role=role,
                institution=ctx.institutions[institution_code],
                password=DEMO_PASSWORD,
                is_staff=administrator,
                is_superuser=administrator,
            )
        ctx.users[username] = user
