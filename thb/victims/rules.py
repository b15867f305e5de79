"""Rules of the victim register that follow from the country profile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


# (profile, the derived columns) by (profile id, forms with sectors): a bulk import
# derives them for every case, and cases repeat a few combinations of forms.
_DERIVED: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[Profile, tuple[str, str]]] = {}
_DERIVED_MOST = 10_000


def derived_form_columns(forms: Sequence[tuple[str, str]], profile: Profile) -> tuple[str, str]:
    """(primary form, exploitation key) of a case's (form, sector) pairs: the columns
    the report counts by, derived by the rules above."""
    pairs = tuple((form, sector) for form, sector in forms)
    key = (id(profile), pairs)
    cached = _DERIVED.get(key)
    if cached is not None and cached[0] is profile:
        return cached[1]
    columns = (
        primary_form((form for form, _sector in pairs), profile),
        exploitation_key(dict(pairs), profile) if pairs else "",
    )
    if len(_DERIVED) >= _DERIVED_MOST:
        _DERIVED.clear()
    _DERIVED[key] = (profile, columns)
    return columns
