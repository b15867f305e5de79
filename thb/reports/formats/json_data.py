"""The report as JSON: {"year", "language", "edition", "figures": {id: value},
"flags": {id: flag}, "tables": [...], "chapters": [...], "metadata": {...}}.

`figures` holds every catalogue id of the year (in the public edition a hidden count
is null, with its flag in `flags`); chapters name their tables and charts by id."""

from __future__ import annotations

import json

from django.utils import translation

from thb.reports.charts import describe
from thb.reports.document import Block, Chart, Document, Highlights, Narrative, Table
from thb.reports.formats.tabular import edition_label, flag_text, legend


def _table(table: Table, chapter: str) -> dict[str, object]:
    return {
        "id": table.id,
        "chapter": chapter,
        "title": table.title,
        "columns": table.columns,
        "earlier_columns": table.earlier_columns,
        "row_total": table.row_total,
        "column_total": table.column_total,
        "rows": [
            {
                "label": row.label,
                "total": row.total,
                "cells": [
                    {
                        "figure": c.figure,
                        "year": c.year,
                        "value": c.value,
                        "flag": c.flag,
                        "note": c.note,
                    }
                    for c in row.cells
                ],
            }
            for row in table.rows
        ],
        "notes": table.notes,
    }


def _block(block: Block, document: Document) -> dict[str, object]:
    if isinstance(block, Table):
        return {"type": "table", "table": block.id}
    if isinstance(block, Chart):
        return {
            "type": "chart",
            "id": block.id,
            "title": block.title,
            "kind": block.kind,
            "table": block.table.id,
            "alt": describe(block, language=document.language, threshold=document.threshold),
        }
    if isinstance(block, Highlights):
        return {"type": "highlights", "sentences": block.sentences}
    assert isinstance(block, Narrative)
    return {
        "type": "narrative",
        "slot": block.slot,
        "paragraphs": block.paragraphs,
        "source": block.source,
        "contributors": block.contributors,
    }


def document_data(document: Document) -> dict[str, object]:
    with translation.override(document.language):
        return {
            "year": document.year,
            "language": document.language,
            "edition": document.edition,
            "figures": dict(sorted(document.figures.items())),
            "flags": dict(sorted(document.flags.items())),
            "tables": [
                _table(table, chapter.id)
                for chapter in document.chapters
                for table in chapter.tables
            ],
            "chapters": [
                {
                    "id": chapter.id,
                    "number": chapter.number,
                    "title": chapter.title,
                    "topics": chapter.topics,
                    "blocks": [_block(block, document) for block in chapter.blocks],
                }
                for chapter in document.chapters
            ],
            "metadata": {
                **document.metadata,
                "title": document.title,
                "issuer": document.issuer,
                "threshold": document.threshold,
                "earlier_years": document.earlier_years,
                "edition_label": edition_label(document),
                "flag_signs": {
                    flag: flag_text(flag, document.threshold) for flag in ("primary", "secondary")
                },
                "legend": dict(legend(document)),
            },
        }


def render_json(document: Document) -> bytes:
    return json.dumps(document_data(document), ensure_ascii=False, indent=2).encode("utf-8")
