"""The `interop` section of a country profile (thb/profiles/<country>/interop.yaml):
how the files that institutions import are written in this country.

- `file_encodings`: text encodings of CSV files besides UTF-8 and UTF-16, in order of
  preference: the code page that the country's Windows gives spreadsheets for "CSV".
  The detector (charset-normalizer) chooses among these.
- `column_words`: further headers accepted for a column, by column name and language
  (the column's name and its label in every UI language are accepted anyway), e.g.
  `citizenship: {lv: [pilsonība]}`.
- `value_words`: words that clerks write for a code beyond the code and its labels
  (the labels of the profile's code lists and of the models' choices are accepted
  anyway), per code and language, e.g. `female: {lv: [sieviete]}`. A word is accepted
  in a column only when the column allows that code.
- `activity_examples`, `activity_type_examples`: the example row of the activity
  records' import templates, by column (and by record type and column where the
  general one does not fit), in the country's own words.
"""

from __future__ import annotations

import codecs
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from thb.profiles.schema_base import Strict

Word = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class InteropSection(Strict):
    file_encodings: list[str] = Field(default_factory=list)
    column_words: dict[str, dict[str, list[Word]]] = Field(default_factory=dict)
    value_words: dict[str, dict[str, list[Word]]] = Field(default_factory=dict)
    activity_examples: dict[str, str] = Field(default_factory=dict)
    activity_type_examples: dict[str, dict[str, str]] = Field(default_factory=dict)

    @field_validator("file_encodings")
    @classmethod
    def _known_encodings(cls, value: list[str]) -> list[str]:
        for name in value:
            try:
                codecs.lookup(name)
            except LookupError:
                raise ValueError(f"file_encodings: {name!r} is not a Python codec") from None
        return value
