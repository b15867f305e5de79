"""Writes of record linkage: the privacy keys of each identity written, the linkage
run that fills the review queue, and the owners' confirmation or rejection. Every
step is audited; a link is applied (victims.services.cases_link) only when both
owners confirmed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core.bulk import ParentRows, PreparedInsert
from thb.lib.crypto import default_linkage_key
from thb.linkage import engine
from thb.linkage.keys import KEY_NAMES, Keyer, Rewrite
from thb.linkage.models import CandidateStatus, LinkCandidate, LinkRun, PersonKeys
from thb.linkage.policy import LinkagePolicy
from thb.profiles import get_profile
from thb.victims.models import Case

# Keys are written in batches of this many rows (a bulk import keys its rows at once).
BATCH = 2000


@lru_cache(maxsize=1)
def keyer() -> Keyer:
    rewrites = [Rewrite(r.pattern, r.replace) for r in get_profile().linkage.name_rewrites]
    return Keyer(default_linkage_key(), rewrites)


def identities_written(person_ids: Sequence[int], identities: Sequence[Any]) -> None:
    """Key the identities just written (the victims services tell this through the
    registry, in their transaction): one PersonKeys row a person, replacing any
    earlier one. The owning institution is that of the person's first case."""
    if not person_ids:
        return
    owners = dict(
        Case.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "-id")
        .values_list("person_id", "institution_id")
    )
    make = keyer()
    rows = []
    for person_id, identity in zip(person_ids, identities, strict=True):
        institution_id = owners.get(person_id)
        if institution_id is None:
            continue
        keys = make.keys(
            identity.given_names,
            identity.surname,
            identity.date_of_birth,
            identity.personal_code,
        )
        rows.append(PersonKeys(person_id=person_id, institution_id=institution_id, **keys))
    PersonKeys.objects.filter(person_id__in=person_ids).delete()
    PersonKeys.objects.bulk_create(rows, batch_size=BATCH)


def identities_staged(
    institution_id: int, persons: PreparedInsert, identities: Sequence[Any]
) -> list[PreparedInsert]:
    """The keys of a bulk import's new persons (one identity a row of `persons`, each
    person's only case the institution's), computed without database access (in the
    import's worker processes for a large file) and written with the persons."""
    make = keyer()
    rows = [
        {
            "institution_id": institution_id,
            **make.keys(
                identity.given_names,
                identity.surname,
                identity.date_of_birth,
                identity.personal_code,
            ),
        }
        for identity in identities
    ]
    if len(rows) != persons.count:
        raise ValueError("one identity a person")
    positions = list(range(len(rows)))
    return [PreparedInsert(PersonKeys, rows, links={"person_id": ParentRows(persons, positions)})]


def _table() -> dict[str, list[Any]]:
    """The key table as columns, for the engine (read in one query, no plain value)."""
    columns = engine.empty_table()
    fields = ["person_id", "institution_id", *KEY_NAMES]
    for row in PersonKeys.objects.order_by().values_list(*fields).iterator(chunk_size=10_000):
        columns["unique_id"].append(row[0])
        columns["institution_id"].append(row[1])
        for name, value in zip(KEY_NAMES, row[2:], strict=True):
            columns[name].append(value)
    return columns


@dataclass
class RunReport:
    records: int
    pairs_compared: int
    candidates: int
    new_candidates: int
    seconds: float
    cpu_seconds: float
    threshold: float


def linkage_run(*, actor: User | None = None, threshold: float | None = None) -> RunReport:
    """Compare the persons of different institutions (Splink on DuckDB, thb.linkage.
    engine) and put the pairs at or above the threshold in the review queue. A pair
    already in the queue (open, linked or rejected) is not proposed again; an open
    one gets the new score. Audited: the run, and each new candidate."""
    section = get_profile().linkage
    threshold = section.threshold if threshold is None else threshold
    result = engine.link(
        _table(), threshold=threshold, duplicate_share=section.expected_duplicate_share
    )
    persons = {p for pair in result.pairs for p in (pair.left, pair.right)}
    cases: dict[int, tuple[int, int | None]] = {}
    for person_id, case_id, group in (
        Case.objects.filter(person_id__in=persons)
        .order_by("person_id", "-id")
        .values_list("person_id", "id", "linked_group")
    ):
        cases[person_id] = (case_id, group)
    new = 0
    with transaction.atomic():
        run = LinkRun.objects.create(
            records=result.records,
            pairs_compared=result.pairs_compared,
            candidates=len(result.pairs),
            seconds=result.seconds,
            threshold=threshold,
        )
        existing = {
            (a, b): (pk, status)
            for pk, a, b, status in LinkCandidate.objects.values_list(
                "pk", "case_a_id", "case_b_id", "status"
            )
        }
        for pair in result.pairs:
            left, right = cases.get(pair.left), cases.get(pair.right)
            if left is None or right is None:
                continue
            if left[1] is not None and left[1] == right[1]:
                continue  # already linked
            a, b = sorted((left[0], right[0]))
            known = existing.get((a, b))
            if known is not None:
                if known[1] == CandidateStatus.OPEN:
                    LinkCandidate.objects.filter(pk=known[0]).update(
                        score=pair.probability, matched=pair.matched, run=run
                    )
                continue
            candidate = LinkCandidate.objects.create(
                case_a_id=a, case_b_id=b, score=pair.probability, matched=pair.matched, run=run
            )
            existing[(a, b)] = (candidate.pk, CandidateStatus.OPEN)
            new += 1
            audit_record(
                actor=actor,
                action=Action.CREATE,
                target=candidate,
                details={"number": candidate.pk, "score": round(pair.probability, 4)},
            )
        run.new_candidates = new
        run.save(update_fields=["new_candidates"])
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=run,
            details={
                "records": result.records,
                "pairs_compared": result.pairs_compared,
                "candidates": len(result.pairs),
                "new": new,
            },
        )
    return RunReport(
        records=result.records,
        pairs_compared=result.pairs_compared,
        candidates=len(result.pairs),
        new_candidates=new,
        seconds=result.seconds,
        cpu_seconds=result.cpu_seconds,
        threshold=threshold,
    )


def _locked(candidate: LinkCandidate) -> LinkCandidate:
    return (
        LinkCandidate.objects.select_for_update()
        .select_related("case_a", "case_b")
        .get(pk=candidate.pk)
    )


def candidate_confirm(*, actor: User, candidate: LinkCandidate) -> LinkCandidate:
    """The actor's institution confirms that its case and the other institution's are
    one person's. The second confirmation applies the link."""
    from thb.victims.services import cases_link

    with transaction.atomic():
        candidate = _locked(candidate)
        policy = LinkagePolicy(actor, candidate)
        if not policy.can_view:
            raise PermissionDenied(_("Only the owners of the two cases review this pair."))
        if not policy.can_confirm:
            raise ValidationError(_("This pair is not awaiting your confirmation."))
        now = timezone.now()
        if policy.side == "a":
            candidate.confirmed_a_by, candidate.confirmed_a_at = actor, now
        else:
            candidate.confirmed_b_by, candidate.confirmed_b_at = actor, now
        step = "confirmed"
        if candidate.confirmed_a_at is not None and candidate.confirmed_b_at is not None:
            cases_link(actor=actor, cases=[candidate.case_a, candidate.case_b])
            candidate.status = CandidateStatus.LINKED
            candidate.closed_by, candidate.closed_at = actor, now
            step = "linked"
        candidate.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=candidate,
            details={"step": step, "number": candidate.pk, "side": policy.side},
        )
    return candidate


def candidate_reject(*, actor: User, candidate: LinkCandidate) -> LinkCandidate:
    """Either owner says the two cases are different persons: the pair is closed and
    not proposed again."""
    with transaction.atomic():
        candidate = _locked(candidate)
        policy = LinkagePolicy(actor, candidate)
        if not policy.can_view:
            raise PermissionDenied(_("Only the owners of the two cases review this pair."))
        if not policy.can_reject:
            raise ValidationError(_("This pair is no longer open."))
        candidate.status = CandidateStatus.REJECTED
        candidate.closed_by, candidate.closed_at = actor, timezone.now()
        candidate.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=candidate,
            details={"step": "rejected", "number": candidate.pk, "side": policy.side},
        )
    return candidate
