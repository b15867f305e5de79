"""Demo yearly submissions for 2020: most institutions accepted (their 2020 records are
locked), some waiting for review, one returned with the coordinator's comment, so the
coordinator's overview shows every state. Goes through the submission services; only
the dates are moved back to 2021 afterwards so that "late" means what it would have.

Then two files checked through the import page's jobs (dry runs, nothing saved), so
that "My imports" has something to show: a caseworker's victim cases (no errors) and
the border guard's detection records of 2020, refused because that year is locked."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from thb.accounts.models import Role, User
from thb.core.demo import DemoContext
from thb.core.languages import country_language
from thb.interop.models import Submission
from thb.interop.registry import get_import_type
from thb.interop.runner import run_job
from thb.interop.services import (
    import_job_create,
    submission_accept,
    submission_return,
    submission_save_texts,
    submission_start,
    submission_submit,
)
from thb.interop.templates_files import example_csv

RIGA = ZoneInfo("Europe/Riga")

# Username: import type of the demo's checked file.
CHECKED_FILES = {"drosamaja": "victim_cases", "robezsardze": "detection_records"}

# Reporter username: (section, Latvian narrative), outcome.
NARRATIVES: dict[str, tuple[str, str, str]] = {
    "robezsardze": (
        "detection",
        "Robežsardze pārskata gadā veica kontroles pasākumus un "
        "uzsāka kriminālprocesus par nelikumīgu personu pārvietošanu.",
        "accepted",
    ),
    "vdi": (
        "detection",
        "Inspekcija veic aptuveni 10 000 pārbaužu gadā un izskata sūdzības "
        "par darba tiesību pārkāpumiem.",
        "accepted",
    ),
    "vbtai": (
        "detection",
        "Inspekcija pārbaudīja ārpusģimenes aprūpes iestādes un izvērtēja "
        "sūdzības par iespējamiem riskiem bērniem.",
        "accepted",
    ),
    "konsuli": (
        "detection",
        "Konsulārās amatpersonas ziņoja par iespējamiem cilvēku tirdzniecības upuriem ārvalstīs.",
        "accepted",
    ),
    "skalbes": (
        "helplines",
        "Krīzes tālrunis 116006 sniedza konsultācijas noziegumos cietušajiem.",
        "accepted",
    ),
    "vpkoledza": (
        "training",
        "Koledža organizēja mācības policijas un robežsardzes darbiniekiem.",
        "accepted",
    ),
    "lpmc": ("training", "Mācību centrs rīkoja seminārus pašvaldību speciālistiem.", "accepted"),
    "ltmc": (
        "training",
        "Tiesnešu mācību centrs rīkoja mācības tiesnešiem un tiesu darbiniekiem.",
        "submitted",
    ),
    "vrskoledza": (
        "training",
        "Koledža apmācīja instruktorus un pārkvalificēja amatpersonas.",
        "submitted",
    ),
    "tiesibsargs": ("training", "Tiesībsarga birojs rīkoja seminārus.", "returned"),
}


def _at(month: int, day: int) -> datetime:
    return datetime(2021, month, day, 10, 0, tzinfo=RIGA)


def load(ctx: DemoContext) -> None:
    coordinator = ctx.users["koordinators"]
    # The demo's narratives are written in the country's language only.
    own = country_language()
    for index, (username, (section, text, outcome)) in enumerate(NARRATIVES.items()):
        reporter: User | None = ctx.users.get(username)
        if reporter is None or reporter.role != Role.REPORTER:
            continue
        submission = submission_start(actor=reporter, year=2020)
        submission_save_texts(actor=reporter, submission=submission, texts={section: {own: text}})
        submission_submit(actor=reporter, submission=submission)
        if outcome == "accepted":
            submission_accept(actor=coordinator, submission=submission)
        elif outcome == "returned":
            submission_return(
                actor=coordinator,
                submission=submission,
                comment="Lūdzu, norādiet semināru skaitu un dalībnieku skaitu.",
            )
        # History: submitted in February 2021 (one late, in March), reviewed a week later.
        submitted = _at(3, 5) if index == 1 else _at(2, 10 + index)
        Submission.objects.filter(pk=submission.pk).update(
            first_submitted_at=submitted,
            submitted_at=submitted,
            reviewed_at=None if outcome == "submitted" else _at(3, 15),
        )
    _check_files(ctx)


def _check_files(ctx: DemoContext) -> None:
    for username, type_name in CHECKED_FILES.items():
        user: User | None = ctx.users.get(username)
        if user is None:
            continue
        import_type = get_import_type(type_name)
        job = import_job_create(
            actor=user,
            import_type=import_type,
            file_name=f"{type_name}-2020.csv",
            data=example_csv(import_type).encode("utf-8"),
            dry_run=True,
        )
        run_job(job.pk)
