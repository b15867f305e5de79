"""Rules of the victim register that follow from the country profile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from thb.profiles.loader import profile_derived
from thb.profiles.schema import Profile


def primary_form(forms: Iterable[str], profile: Profile) -> str:
    """The form a victim counts under in headline totals: the one with the lowest
    priority number, mapped to its headline form (pornography counts as sexual)."""
    known = [profile.form(code) for code in forms]
    if not known:
        return ""
    first = min(known, key=lambda form: form.priority)
    return first.headline or first.code


def exploitation_key(forms: dict[str, str], profile: Profile) -> str:
    """The report's "by form of exploitation" row for a victim: one labour form gives
    `labour.<sector>` (sector_unknown when none is recorded); several forms give the
    forms joined by '+' in priority order (e.g. `sexual+labour`); one other form its code.

    `forms` maps form code to sector code ("" where none)."""
    ordered = sorted(forms, key=lambda code: profile.form(code).priority)
    if len(ordered) == 1:
        code = ordered[0]
        if profile.form(code).has_sectors:
            return f"{code}.{forms[code] or 'sector_unknown'}"
        return code
    return "+".join(ordered)


def derived_form_columns(forms: Sequence[tuple[str, str]], profile: Profile) -> tuple[str, str]:
    """(primary form, exploitation key) of a case's (form, sector) pairs: the columns
    the report counts by, derived by the rules above once per combination of forms (a
    bulk import derives them for every case; cases repeat a few combinations)."""
    pairs = tuple((form, sector) for form, sector in forms)
    return profile_derived(
        profile,
        ("form_columns", pairs),
        lambda: (
            primary_form((form for form, _sector in pairs), profile),
            exploitation_key(dict(pairs), profile) if pairs else "",
        ),
    )
