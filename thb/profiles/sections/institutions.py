"""The `institution_kinds` and `institutions` sections of a country profile
(thb/profiles/<country>/institutions.yaml): the kinds of body that take part in the
mechanism, what each kind does in THB, and the country's institutions, which
`thb setup` and the demo create."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from thb.profiles.schema_base import CodeItem, CodeStr, Label, Strict

# Institution codes are the slugs users see in files and URLs ("drosa-maja").
InstitutionCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]


class InstitutionKindDef(CodeItem):
    """A kind of institution. The code is what the access rules and imports test
    (thb.accounts.models.InstitutionKind names the codes the code relies on)."""

    # What an institution of this kind does in THB: its users' roles, its imports.
    description: Label


class InstitutionDef(Strict):
    code: InstitutionCode
    kind: CodeStr
    # lv: the exact official name; en: the name the institution uses in English.
    name: Label
    # A short form users know (VDI, PMLP), shown beside the name; optional.
    abbreviation: str = ""


def check_institutions(kinds: list[InstitutionKindDef], institutions: list[InstitutionDef]) -> None:
    """Codes are unique; every institution's kind is a declared kind."""
    kind_codes = [kind.code for kind in kinds]
    duplicates = sorted({c for c in kind_codes if kind_codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"institution_kinds: code {duplicates[0]!r} appears twice")
    seen: set[str] = set()
    for institution in institutions:
        if institution.code in seen:
            raise ValueError(f"institutions: code {institution.code!r} appears twice")
        seen.add(institution.code)
        if institution.kind not in kind_codes:
            raise ValueError(
                f"institutions: {institution.code}.kind {institution.kind!r} is not an "
                f"institution_kinds code (known: {', '.join(kind_codes)})"
            )
