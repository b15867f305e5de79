"""Writes go through services: no app writes another app's model through its manager
(`Other.objects.create(...)`, `Other.objects.filter(...).update(...)`, ...). It calls
the owning app's service instead (e.g. `victims.services.case_event_record` for a
case's timeline). Read from the source, so a new violation fails here with its line."""

from __future__ import annotations

import ast
from pathlib import Path

THB = Path(__file__).resolve().parents[2]
WRITES = frozenset(
    {
        "create",
        "bulk_create",
        "get_or_create",
        "update_or_create",
        "bulk_update",
        "update",
        "delete",
    }
)


def _foreign_models(tree: ast.AST, app: str) -> dict[str, str]:
    """The names imported from another app's models module: name -> app."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("thb."):
            parts = node.module.split(".")
            if len(parts) == 3 and parts[2] == "models" and parts[1] != app:
                for alias in node.names:
                    out[alias.asname or alias.name] = parts[1]
    return out


def violations(source: str, app: str) -> list[str]:
    tree = ast.parse(source)
    foreign = _foreign_models(tree, app)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES:
            continue
        base = node.func.value
        while isinstance(base, ast.Call) and isinstance(base.func, ast.Attribute):
            base = base.func.value  # Other.objects.filter(...).update(...)
        if (
            isinstance(base, ast.Attribute)
            and base.attr == "objects"
            and isinstance(base.value, ast.Name)
            and base.value.id in foreign
        ):
            found.append(
                f"line {node.lineno}: {base.value.id}.objects…{node.func.attr}() "
                f"writes a model of {foreign[base.value.id]}"
            )
    return found


def test_the_check_finds_a_write_to_another_apps_model() -> None:
    source = (
        "from thb.victims.models import CaseEvent\n"
        "from thb.support.models import Plan\n"
        "def f(case):\n"
        "    Plan.objects.create(case=case)\n"
        "    CaseEvent.objects.create(case=case, kind='x')\n"
        "    CaseEvent.objects.filter(case=case).update(kind='y')\n"
    )
    assert violations(source, "support") == [
        "line 5: CaseEvent.objects…create() writes a model of victims",
        "line 6: CaseEvent.objects…update() writes a model of victims",
    ]


def test_no_app_writes_another_apps_model_through_its_manager() -> None:
    problems = []
    for path in sorted(THB.glob("*/**/*.py")):
        relative = path.relative_to(THB)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        for problem in violations(path.read_text(encoding="utf-8"), relative.parts[0]):
            problems.append(f"thb/{relative}: {problem}")
    assert not problems, "\n".join(problems)
