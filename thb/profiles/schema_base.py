"""Building blocks of profile sections."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, RootModel, StringConstraints

CodeStr = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
# An ISO 639-1 language code, as Django names its languages (e.g. "en", "pt-br").
LanguageStr = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[a-z]{2,4})?$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(RootModel[dict[LanguageStr, Annotated[str, StringConstraints(min_length=1)]]]):
    """A text in each of the profile's languages (`country.languages`), e.g.
    `{lv: Latvija, en: Latvia}`: the profile checks that every label has each."""

    model_config = ConfigDict(frozen=True)

    def get(self, language: str) -> str:
        """The text in `language` (or its base language: "en" for "en-gb"), else in
        the country's own language, else the first given."""
        from thb.core.languages import in_language

        return in_language(self.root, language) or next(iter(self.root.values()))

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.root.items())))


def labels_in(value: Any, path: str = "") -> Iterator[tuple[str, Label]]:
    """Every Label in a profile's data, with where it is (e.g. "regions[3].label")."""
    if isinstance(value, Label):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from labels_in(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from labels_in(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from labels_in(item, f"{path}.{key}" if path else str(key))


class CodeItem(Strict):
    code: CodeStr
    label: Label
