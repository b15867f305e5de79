"""Loads and validates a country profile from its YAML files."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from django.conf import settings
from django.core.signals import setting_changed
from pydantic import ValidationError

from thb.profiles.basics import PROFILES_DIR, read_yaml
from thb.profiles.basics import SafeLoader as SafeLoader  # re-exported (tests read with it)
from thb.profiles.schema import Profile

T = TypeVar("T")

# Keys whose lists may be spread over several files (one per domain), joined in
# file-name order: the figure catalogue and the report's chapters.
JOINED_KEYS = ("figures", "report_chapters")


class ProfileError(RuntimeError):
    """The country profile is missing, malformed or inconsistent."""


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_profile(directory: Path) -> Profile:
    """Read every `*.yaml` in the directory; each top-level key may appear in one file."""
    if not directory.is_dir():
        raise ProfileError(f"Country profile directory {directory} does not exist")
    data: dict[str, Any] = {}
    source: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            content = read_yaml(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ProfileError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(content, dict):
            raise ProfileError(f"{path}: the top level must be a mapping of sections")
        for key, value in content.items():
            if key in JOINED_KEYS and isinstance(value, list):
                data.setdefault(key, []).extend(value)
                source.setdefault(key, path)
                continue
            if key in data:
                raise ProfileError(f"{path}: key {key!r} is already defined in {source[key]}")
            data[key] = value
            source[key] = path
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            top = str(loc[0]) if loc else ""
            where = source.get(top, directory)
            key = _location(loc) or "(profile)"
            problems.append(f"{where}: {key}: {error['msg']}")
        raise ProfileError("Invalid country profile:\n  " + "\n  ".join(problems)) from None


@lru_cache(maxsize=4)
def _cached(country: str) -> Profile:
    return load_profile(PROFILES_DIR / country)


# settings.THB_COUNTRY, read once (reading a setting through the lazy settings object
# costs more than the whole cached look-up, and the checks of a bulk import ask for
# the profile dozens of times a row); forgotten when a test overrides the setting.
_COUNTRY: list[str] = []


def _forget_country(*, setting: str, **_kwargs: Any) -> None:
    if setting == "THB_COUNTRY":
        _COUNTRY.clear()


setting_changed.connect(_forget_country)


def get_profile(country: str | None = None) -> Profile:
    """The active country profile (settings.THB_COUNTRY), loaded once per process."""
    if country is None:
        if not _COUNTRY:
            _COUNTRY.append(settings.THB_COUNTRY)
        country = _COUNTRY[0]
    return _cached(country)


_DERIVED: dict[tuple[int, Hashable], tuple[object, Any]] = {}
_DERIVED_MOST = 10_000


def profile_derived(owner: object, key: Hashable, build: Callable[[], T]) -> T:
    """A value derived from a profile (or one of its sections, `owner`) and a key,
    built once per owner and key: the checks that run for every row of a bulk import
    read it without deriving it again. A new profile object (another country, a test's
    changed copy) derives anew; at most _DERIVED_MOST values are kept."""
    entry = _DERIVED.get((id(owner), key))
    if entry is not None and entry[0] is owner:
        return cast(T, entry[1])
    if len(_DERIVED) >= _DERIVED_MOST:
        _DERIVED.clear()
    value = build()
    _DERIVED[(id(owner), key)] = (owner, value)
    return value


def code_set(section: str, profile: Profile | None = None) -> frozenset[str]:
    """The codes of a profile list as a set, built once per profile and list."""
    found = profile or get_profile()
    return profile_derived(found, ("codes", section), lambda: frozenset(found.codes(section)))
