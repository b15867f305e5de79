"""The linkage run: Splink (probabilistic record linkage, Fellegi-Sunter) on DuckDB over
the privacy keys of `keys.py`. No matcher is written here: this module only declares
the model (comparisons, blocking rules, prior) and reads Splink's scored pairs.

The input is a table with one row a person: `unique_id` (the person's id),
`institution_id` and the key columns (`keys.KEY_NAMES`, NULL where missing). Only
persons recorded by two different institutions are compared.

The model. Each comparison's levels, from the strongest agreement down:

  surname, given names   exact | transliteration-folded (or both names, in either
                         order) | Double Metaphone (or both, in either order) | one
                         typing error apart | the first three letters | different
  date of birth          exact | the same year and month | different
  personal code          exact | different

The m probabilities (how often a true match agrees at a level) are set below from
the kinds of variation seen between registers (spelling, transliteration, typing
errors); the u probabilities (agreement by chance) are estimated by Splink from random
pairs of the data when there are enough records (`U_SAMPLE_MIN`), else the defaults
below (estimated on the synthetic 1 000 000-record benchmark) are used. The prior is
the profile's expected share of persons recorded twice.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from thb.linkage.keys import KEY_NAMES

# Below this many records, u is not estimated (too few random pairs): the defaults.
U_SAMPLE_MIN = 50_000
U_SAMPLE_PAIRS = 2_000_000

OTHER_INSTITUTION = "l.institution_id <> r.institution_id"
BLOCKING_RULES = (
    "l.personal_code = r.personal_code",
    "l.birth_date = r.birth_date AND l.surname_dm = r.surname_dm",
    "l.birth_date = r.birth_date AND l.given_dm = r.given_dm",
    "l.birth_date = r.birth_date AND l.names_dm = r.names_dm",
    "l.birth_month = r.birth_month AND l.surname_fold = r.surname_fold "
    "AND l.given_fold = r.given_fold",
)


@dataclass(frozen=True)
class Level:
    code: str  # what matched, as the review queue names it ("" for no agreement)
    sql: str
    m: float
    u: float


def _name_levels(own: str) -> list[Level]:
    return [
        Level(f"{own}", f"{own}_l = {own}_r", 0.80, 0.002),
        Level(
            f"{own}_folded",
            f"{own}_fold_l = {own}_fold_r OR names_fold_l = names_fold_r",
            0.10,
            0.0005,
        ),
        Level(
            f"{own}_phonetic",
            f"{own}_dm_l = {own}_dm_r OR names_dm_l = names_dm_r",
            0.05,
            0.003,
        ),
        Level(
            f"{own}_typo",
            f"len(list_intersect(string_split({own}_del_l, ' '), "
            f"string_split({own}_del_r, ' '))) > 0",
            0.04,
            0.0005,
        ),
        Level(f"{own}_partial", f"{own}_pre_l = {own}_pre_r", 0.02, 0.01),
        Level("", "ELSE", 0.01, 0.9835),
    ]


COMPARISONS: dict[str, tuple[str, list[Level]]] = {
    "surname": ("surname", _name_levels("surname")),
    "given": ("given", _name_levels("given")),
    "birth": (
        "birth_date",
        [
            Level("birth_date", "birth_date_l = birth_date_r", 0.93, 0.00004),
            Level("birth_month", "birth_month_l = birth_month_r", 0.04, 0.0012),
            Level("", "ELSE", 0.03, 0.99876),
        ],
    ),
    "personal_code": (
        "personal_code",
        [
            Level("personal_code", "personal_code_l = personal_code_r", 0.97, 0.000002),
            Level("", "ELSE", 0.03, 0.999998),
        ],
    ),
}


def _comparison(name: str, null_column: str, levels: list[Level]) -> dict[str, Any]:
    out: list[dict[str, Any]] = [
        {
            "sql_condition": f"{null_column}_l IS NULL OR {null_column}_r IS NULL",
            "label_for_charts": "null",
            "is_null_level": True,
        }
    ]
    for level in levels:
        out.append(
            {
                "sql_condition": level.sql if level.sql == "ELSE" else f"({level.sql})",
                "label_for_charts": level.code or "else",
                "m_probability": level.m,
                "u_probability": level.u,
            }
        )
    return {"output_column_name": name, "comparison_levels": out}


def settings(prior: float) -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": f"{rule} AND {OTHER_INSTITUTION}", "sql_dialect": "duckdb"}
            for rule in BLOCKING_RULES
        ],
        "comparisons": [
            _comparison(name, column, levels) for name, (column, levels) in COMPARISONS.items()
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }


_SIDE = re.compile(r"\b(\w+)_([lr])\b")


def _qualified(match: re.Match[str]) -> str:
    return f"{match.group(2)}.{match.group(1)}"


def _matched_sql() -> str:
    """One CASE a comparison: the code of its strongest level that holds for the pair
    (NULL when none does), over the key table joined as l and r."""
    cases = []
    for name, (_column, levels) in COMPARISONS.items():
        whens = " ".join(
            f"WHEN {_SIDE.sub(_qualified, level.sql)} THEN '{level.code}'"
            for level in levels
            if level.code
        )
        cases.append(f"CASE {whens} END AS matched_{name}")
    return ", ".join(cases)


def prior(records: int, duplicate_share: float) -> float:
    """The probability that two random records are the same person: the expected
    number of persons recorded twice over the number of pairs."""
    if records < 2:
        return 0.5
    return min(0.5, duplicate_share * records / (records * (records - 1) / 2))


@dataclass
class Pair:
    left: int
    right: int
    probability: float
    matched: list[str]


@dataclass
class Result:
    records: int
    pairs_compared: int
    pairs: list[Pair] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    u_estimated: bool = False


def empty_table() -> dict[str, list[Any]]:
    return {"unique_id": [], "institution_id": [], **{name: [] for name in KEY_NAMES}}


def _arrow(table: pa.Table | Mapping[str, Sequence[Any]]) -> pa.Table:
    if isinstance(table, pa.Table):
        return table
    columns = {
        "unique_id": pa.array(table["unique_id"], pa.int64()),
        "institution_id": pa.array(table["institution_id"], pa.int64()),
    }
    for name in KEY_NAMES:
        columns[name] = pa.array(table[name], pa.string())
    return pa.table(columns)


def link(
    table: pa.Table | Mapping[str, Sequence[Any]],
    *,
    threshold: float,
    duplicate_share: float,
    estimate_u: bool | None = None,
    threads: int | None = None,
) -> Result:
    """Score the pairs of persons at different institutions that the blocking rules
    bring together; the pairs at or above `threshold` are returned, each with the
    fields that agreed. `estimate_u` None: estimated when there are enough records."""
    from splink import Linker
    from splink.backends.duckdb import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    started, cpu_started = time.perf_counter(), time.process_time()
    data = _arrow(table)
    records = data.num_rows
    result = Result(records=records, pairs_compared=0)
    if records < 2:
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = time.process_time() - cpu_started
        return result
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.register("keys_input", data)
    # The two names in either order (swapped given names and surname), from the keys.
    con.execute(
        "CREATE TABLE person_keys AS SELECT *, "
        "least(given_fold, surname_fold) || greatest(given_fold, surname_fold) AS names_fold, "
        "least(given_dm, surname_dm) || greatest(given_dm, surname_dm) AS names_dm "
        "FROM keys_input"
    )
    con.unregister("keys_input")
    db_api = DuckDBAPI(connection=con)
    frame = db_api.register("person_keys")
    model = settings(prior(records, duplicate_share))
    counts = count_comparisons_from_blocking_rules(
        frame,
        blocking_rules=model["blocking_rules_to_generate_predictions"],
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        record_sample_proportion=1.0,
    )
    result.pairs_compared = int(counts[-1]["cumulative_comparison_count"]) if counts else 0
    try:
        linker = Linker(frame, model, log_level=logging.WARNING)
        if estimate_u if estimate_u is not None else records >= U_SAMPLE_MIN:
            linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=1)
            result.u_estimated = True
        scored = linker.inference.predict(threshold_match_probability=threshold)
        # What matched, by the strongest agreeing level of each comparison (read on the
        # scored pairs joined to the keys, with the levels' own conditions).
        # Splink's own table name and the levels above: no outside text in the query.
        query = (
            f"SELECT p.unique_id_l, p.unique_id_r, p.match_probability, {_matched_sql()} "  # noqa: S608
            f"FROM {scored.physical_name} p "
            "JOIN person_keys l ON l.unique_id = p.unique_id_l "
            "JOIN person_keys r ON r.unique_id = p.unique_id_r"
        )
        rows = con.execute(query).fetchall()
    finally:
        con.close()
    for row in rows:
        matched = sorted({code for code in row[3:] if code})
        left, right = int(row[0]), int(row[1])
        result.pairs.append(Pair(min(left, right), max(left, right), float(row[2]), matched))
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    return result
