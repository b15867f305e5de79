"""The codes THB gives its records (a person, a referral, an anonymous notification):
the profile's prefix for the kind of record, the year, and five characters that are
easy to read aloud on the phone: "CTU-2020-7KQ2M" in the Latvian profile."""

from __future__ import annotations

import secrets
from typing import Literal

from thb.profiles import get_profile

# No 0/O and no 1/I. 32 characters: a random byte modulo 32 is uniform.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5

RecordKind = Literal["person", "referral", "anonymous_notification"]


def code_start(kind: RecordKind, year: int) -> str:
    """The part before the random characters: "<prefix>-<year>-"."""
    prefix: str = getattr(get_profile().country.record_codes, kind)
    return f"{prefix}-{year}-"


def random_code(kind: RecordKind, year: int) -> str:
    """A new code of the kind and year (unique only by chance: the caller checks)."""
    draw = secrets.token_bytes(CODE_LENGTH)
    return code_start(kind, year) + "".join(CODE_ALPHABET[b % 32] for b in draw)
