"""What Django's settings take from the country profile before Django starts: its
languages and its time zone (`country` in country.yaml, read here without Django; the
whole profile, these included, is validated when it is loaded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import yaml

PROFILES_DIR = Path(__file__).resolve().parent

# libyaml's parser when PyYAML was built with it (the wheels are): the profile's ~30
# files take 0.2 s instead of 3 s of pure-Python parsing at every process start.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    """A YAML document's data, as yaml.safe_load reads it (only plain data types)."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 (a safe loader)


class CountryBasics(NamedTuple):
    languages: list[str]
    """The languages of pages and documents, the country's own first."""
    time_zone: str


def country_basics(country: str) -> CountryBasics:
    """The profile's languages and time zone, for settings.LANGUAGES, LANGUAGE_CODE and
    TIME_ZONE. Raises ValueError naming the file when they are missing."""
    path = PROFILES_DIR / country / "country.yaml"
    try:
        data = read_yaml(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ValueError(f"country profile {country!r}: cannot read {path}: {exc}") from None
    section = data.get("country") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        section = {}
    languages = section.get("languages")
    if not isinstance(languages, list) or not languages:
        raise ValueError(f"{path}: country.languages must list the languages, the country's first")
    return CountryBasics([str(code) for code in languages], str(section.get("time_zone", "UTC")))
