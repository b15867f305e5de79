"""A large import staged in worker processes (thb/interop/parallel.py) gives what one
process gives: the same records, the same errors in the same order, all or nothing."""

from __future__ import annotations

import os
import threading
from concurrent.futures.process import BrokenProcessPool

import pytest

from thb.audit.models import AuditEvent
from thb.core.bulk import join_inserts
from thb.interop import parallel
from thb.interop.importer import MAX_ERRORS, import_file
from thb.interop.registry import get_import_type
from thb.linkage.keys import KEY_NAMES
from thb.linkage.models import PersonKeys
from thb.victims.models import Case, CaseEvent, IdentificationDecision, Person, PersonIdentity
from thb.victims.services import StagedCases, _unique_person_codes

HEADER = (
    "external_id,intake_date,referral_channel,sex,citizenship,date_of_birth,forms,places,"
    "given_names,surname,historical,decision_kind,decision_date,decision_outcome,criteria\n"
)


def _row(i: int, **change: str) -> str:
    values = {
        "external_id": f"P-{i}",
        "intake_date": f"2019-{1 + i % 9:02d}-{1 + i % 27:02d}",
        "referral_channel": "state_police",
        "sex": "female" if i % 2 else "male",
        "citizenship": ["LV", "UZ", "UA"][i % 3],
        "date_of_birth": f"{1970 + i % 30}-03-04",
        "forms": "labour:construction" if i % 2 else "sexual",
        "places": "GB" if i % 3 else "LV:riga",
        "given_names": "Anna",
        "surname": f"Ozola{i}",
        "historical": "true",
        "decision_kind": "commission" if i % 2 else "process_director",
        "decision_date": f"2019-{1 + i % 9 + 2:02d}-15",
        "decision_outcome": "recognised" if i % 5 else "not_recognised",
        "criteria": "means_deception; purpose_exploitation",
    }
    values.update(change)
    return ",".join(f'"{value}"' for value in values.values()) + "\n"


def _import(user, text: str, **kwargs):
    return import_file(
        actor=user,
        import_type=get_import_type("victim_cases"),
        file_name="cases.csv",
        data=text.encode(),
        **kwargs,
    )


def _one_process(settings) -> None:
    settings.THB_IMPORT_WORKERS = 0


def _stored() -> list[tuple]:
    surnames = dict(PersonIdentity.objects.values_list("person_id", "surname"))
    return [
        (
            case.external_id,
            case.intake_date,
            case.status,
            case.age_at_identification,
            case.exploitation_key,
            case.person.sex,
            case.person.citizenship,
            surnames[case.person_id],
            sorted(str(f) for f in case.forms.all()),
            sorted(case.events.values_list("kind", flat=True)),
        )
        for case in Case.objects.order_by("external_id").select_related("person")
    ]


def _keys() -> list[tuple]:
    """Record linkage's keys of each imported case's person, by the case's external id."""
    by_person = dict(Case.objects.values_list("person_id", "external_id"))
    fields = ["person_id", "institution_id", *KEY_NAMES]
    return sorted(
        (by_person[person_id], *rest)
        for person_id, *rest in PersonKeys.objects.values_list(*fields)
    )


def test_workers_stage_a_large_file_into_the_same_records(owner, in_parts, settings):
    text = HEADER + "".join(_row(i) for i in range(1, 15))
    result = _import(owner, text)
    assert in_parts, "the file was staged by the workers"
    assert result.ok, result.errors
    assert result.created == 14
    in_workers = _stored()
    keys = _keys()
    assert len(keys) == 14, "every imported person is keyed for record linkage"
    assert {row[1] for row in keys} == {owner.institution_id}
    codes = list(Person.objects.values_list("code", flat=True))
    assert len(set(codes)) == 14
    audit = AuditEvent.objects.filter(object_type="interop.import").get()
    assert audit.details["created"] == 14
    assert sum(b - a + 1 for a, b in audit.details["created_ids"]) == 14
    assert IdentificationDecision.objects.count() == 14
    # The same file staged in one process, once those records are removed, gives the
    # same records.
    for model in (CaseEvent, IdentificationDecision, PersonKeys, Case, PersonIdentity, Person):
        model.objects.all().delete()
    _one_process(settings)
    assert _import(owner, text).ok
    assert _stored() == in_workers
    assert _keys() == keys
    # Re-importing: every row exists already; nothing is created.
    settings.THB_IMPORT_WORKERS = 2
    again = _import(owner, text)
    assert again.ok and (again.created, again.existing) == (0, 14)


def test_the_errors_are_those_of_one_process(owner, in_parts, settings):
    rows = [_row(i) for i in range(1, 16)]
    rows[1] = _row(2, sex="robot")  # a cell's error
    rows[6] = _row(3)  # the id of line 4 again, in another part
    rows[7] = _row(8, forms="sexual:construction")  # a rule's error (staging)
    rows[8] = _row(3, forms="sexual:construction")  # repeated id and a rule's error
    rows[12] = _row(13, decision_kind="", decision_date="2019-05-01")  # a decision's error
    rows[13] = _row(14, given_names="x" * 300)  # an identity's value, not repeated
    text = HEADER + "".join(rows)
    in_workers = _import(owner, text)
    assert in_parts
    _one_process(settings)
    alone = _import(owner, text)
    assert not in_workers.ok
    assert [str(e) for e in in_workers.errors] == [str(e) for e in alone.errors]
    assert [(e.line, e.column) for e in alone.errors] == [
        (3, "sex"),
        (8, "external_id"),
        (9, "forms"),
        (10, "external_id"),
        (14, "decision_kind"),
        (15, "given_names"),
    ]
    assert Case.objects.count() == 0


def test_too_many_errors_stop_at_the_same_ones(owner, in_parts, settings):
    rows = [_row(i, sex="robot" if i % 2 else "male", intake_date="") for i in range(400)]
    text = HEADER + "".join(rows)
    in_workers = _import(owner, text)
    _one_process(settings)
    alone = _import(owner, text)
    assert in_workers.more_errors and alone.more_errors
    assert len(in_workers.errors) == MAX_ERRORS
    assert [str(e) for e in in_workers.errors] == [str(e) for e in alone.errors]


def test_a_dry_run_in_workers_writes_nothing(owner, in_parts):
    result = _import(owner, HEADER + "".join(_row(i) for i in range(12)), dry_run=True)
    assert in_parts
    assert result.ok and result.created == 12
    assert Case.objects.count() == Person.objects.count() == 0


def test_person_codes_drawn_twice_or_stored_are_drawn_again(owner):
    from thb.interop.importer import ImportResult, _parse_row, _RowReader
    from thb.interop.registry import ImportRow
    from thb.interop.tables import read_table

    import_type = get_import_type("victim_cases")
    assert import_type.bulk is not None and import_type.bulk.parts is not None
    context = import_type.bulk.parts.context(owner)
    stage = import_type.bulk.parts.stage
    table = read_table("c.csv", (HEADER + _row(1) + _row(2) + _row(3)).encode())
    reader = _RowReader.build(import_type, table, {})
    found = ImportResult("victim_cases", "", True)
    rows = []
    for line, cells in table.rows:
        values = _parse_row(import_type, table, line, cells, found, None, reader)
        assert values is not None
        rows.append(ImportRow(line, values))
    parts = [stage(owner, context, rows[:2]).payload, stage(owner, context, rows[2:]).payload]
    persons = [part.inserts[0] for part in parts]
    at = persons[0].columns.index("code")
    Person.objects.create(code=persons[0].rows[0][at])  # stored meanwhile
    persons[1].rows[0][at] = persons[0].rows[1][at]  # drawn by two parts
    joined = StagedCases.join(parts)
    assert _unique_person_codes(joined) == 2
    codes = [row[at] for row in joined.inserts[0].rows]
    assert len(set(codes)) == 3
    assert not Person.objects.filter(code__in=codes).exists()
    assert all(code.startswith("CTU-2019-") for code in codes)


def test_joined_inserts_link_children_to_their_own_parents(owner):
    from thb.core.bulk import ParentRows, PreparedInsert

    def part(n: int, children_of: list[int]) -> list[PreparedInsert]:
        persons = PreparedInsert(Person, [{"code": f"T-{n}-{i}"} for i in range(n)], want_ids=True)
        identities = PreparedInsert(
            PersonIdentity,
            [{"surname": f"S{n}-{at}"} for at in children_of],
            links={"person_id": ParentRows(persons, children_of)},
        )
        return [persons, identities]

    joined = join_inserts([part(2, [1]), part(3, [0, 2])])
    for insert in joined:
        insert.insert()
    by_surname = {
        identity.surname: identity.person.code for identity in PersonIdentity.objects.all()
    }
    assert by_surname == {"S2-1": "T-2-1", "S3-0": "T-3-0", "S3-2": "T-3-2"}


def _die(lines):
    os._exit(3)  # a worker killed while it stages its part


def test_a_worker_that_dies_fails_the_import_and_saves_nothing(owner, in_parts, monkeypatch):
    monkeypatch.setattr(parallel, "_stage_part", _die)
    with pytest.raises(BrokenProcessPool):
        _import(owner, HEADER + "".join(_row(i) for i in range(12)))
    assert Case.objects.count() == Person.objects.count() == 0


def test_auto_stages_in_one_worker_a_cpu_only_where_no_other_thread_runs(settings, monkeypatch):
    """THB_IMPORT_WORKERS=auto (the default): the CPUs this process may use, at most
    AUTO_MAX, in a process without other threads (`thb import`, `thb import-worker`);
    none where another thread runs (the web process's import runner) or on one CPU.
    A number is used as configured."""
    settings.THB_IMPORT_WORKERS = None
    settings.THB_IMPORT_PARALLEL_ROWS = 10
    cases = get_import_type("victim_cases")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(6)), raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert parallel.workers_for(cases, 100) == parallel.AUTO_MAX == 4
    assert parallel.workers_for(cases, 9) == 0  # a small file: in the importing process
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert parallel.workers_for(cases, 100) == 0
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert parallel.workers_for(cases, 100) == 0
    settings.THB_IMPORT_WORKERS = 3
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert parallel.workers_for(cases, 100) == 3
    settings.THB_IMPORT_WORKERS = None
    assert parallel.workers_for(get_import_type("training_events"), 100) == 0  # not in parts
