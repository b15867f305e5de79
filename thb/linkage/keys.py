"""The privacy keys of a person's identity for record linkage.

Each key is an HMAC-SHA256 (truncated to 64 bits, written as 16 hex digits) under the
linkage key (thb.lib.crypto.derive_linkage_key: HKDF over the newest field key with its
own purpose label), of a normalised value prefixed with the key's label, so equal values
in different fields give different keys (except the given names and the surname,
which share labels so that swapped names can be matched). Nothing here is stored but the hashes; the
plain values stay in the encrypted identity table.

Keys of a person (the columns of `thb.linkage.models.PersonKeys`):

given, surname         the names as written (case-folded, diacritics kept, spaces collapsed)
given_fold, surname_fold  transliteration-folded: any script to ASCII (Cyrillic to
                       Latin), diacritics removed, and the profile's spelling rewrites
                       applied (profiles/<cc>/linkage.yaml), so that the country's, the
                       Russian and the English spellings of a name fold to one form
given_dm, surname_dm   the Double Metaphone codes of the folded tokens
given_pre, surname_pre the first three letters of the folded name (a partial key: a
                       typo later in the name keeps it)
given_del, surname_del the folded name with each letter left out in turn, and whole:
                       several keys (space-separated); two names one typing error
                       apart (a letter changed, added, left out) share one
birth_date, birth_month  the date of birth, its year and month
personal_code          the personal code, letters and digits only
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from anyascii import anyascii
from doublemetaphone import doublemetaphone

KEY_HEX = 16
PREFIX = 3
# Names shorter than this have no one-letter-left-out keys (too many chance matches).
DELETE_MIN = 4
KEY_NAMES = (
    "given",
    "surname",
    "given_fold",
    "surname_fold",
    "given_dm",
    "surname_dm",
    "given_pre",
    "surname_pre",
    "given_del",
    "surname_del",
    "birth_date",
    "birth_month",
    "personal_code",
)

# The given names and the surname share their HMAC labels ("name", "name_fold", ...),
# so that a given name equals a surname written in the other field (swapped order);
# other fields never collide.
_SPACES = re.compile(r"\s+")
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_NOT_CODE = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True)
class Rewrite:
    """One spelling rewrite of folded names: a regular expression over one token."""

    pattern: str
    replace: str


class Folder:
    """Folds a name to its transliteration-neutral ASCII form with the profile's
    rewrites (compiled once)."""

    def __init__(self, rewrites: Sequence[Rewrite]) -> None:
        self._rewrites = [(re.compile(r.pattern), r.replace) for r in rewrites]

    def tokens(self, text: str) -> list[str]:
        ascii_text = anyascii(unicodedata.normalize("NFC", text)).lower()
        ascii_text = _NOT_LETTERS.sub(" ", ascii_text.replace("'", ""))
        out = []
        for token in ascii_text.split():
            for pattern, replace in self._rewrites:
                token = pattern.sub(replace, token)
            token = _DOUBLED.sub(r"\1", token)
            if token:
                out.append(token)
        return out


def _plain(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()


def _metaphone(token: str) -> str:
    return doublemetaphone(token)[0] or token


class Keyer:
    """Computes the keys of identities under one HMAC key."""

    def __init__(self, key: bytes, rewrites: Sequence[Rewrite]) -> None:
        self._key = key
        self.folder = Folder(rewrites)
        # Names repeat: fold, encode and hash each distinct one once.
        self._name = lru_cache(maxsize=100_000)(self._name_uncached)
        self._name_keys = lru_cache(maxsize=100_000)(self._name_keys_uncached)

    def _name_uncached(self, text: str) -> dict[str, str]:
        tokens = self.folder.tokens(text)
        folded = "".join(tokens)
        return {
            "": _plain(text),
            "_fold": " ".join(tokens),
            "_dm": " ".join(_metaphone(t) for t in tokens),
            "_pre": tokens[0][:PREFIX] if tokens else "",
            # The folded name with each letter left out in turn (and whole): two names
            # one typing error apart share one of these.
            "_del": " ".join(
                sorted({folded, *(folded[:i] + folded[i + 1 :] for i in range(len(folded)))})
            )
            if len(folded) >= DELETE_MIN
            else "",
        }

    def _name_keys_uncached(self, text: str) -> dict[str, str | None]:
        keys: dict[str, str | None] = {}
        for suffix, value in self._name(text).items():
            if suffix == "_del":
                macs = sorted({self._mac("name_del", part) or "" for part in value.split()})
                keys[suffix] = " ".join(macs) or None
            else:
                keys[suffix] = self._mac(f"name{suffix}", value)
        return keys

    def _mac(self, name: str, value: str) -> str | None:
        if not value:
            return None
        message = f"{name}\x1f{value}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:KEY_HEX]

    def values(
        self, given_names: str, surname: str, date_of_birth: date | None, personal_code: str
    ) -> dict[str, str]:
        """The plain normalised values behind each key (never stored: the benchmark and
        the tests read them; `keys` hashes them)."""
        out = {f"given{k}": v for k, v in self._name(given_names).items()}
        out.update({f"surname{k}": v for k, v in self._name(surname).items()})
        out.update(self._other_values(date_of_birth, personal_code))
        return out

    @staticmethod
    def _other_values(date_of_birth: date | None, personal_code: str) -> dict[str, str]:
        return {
            "birth_date": date_of_birth.isoformat() if date_of_birth else "",
            "birth_month": date_of_birth.strftime("%Y-%m") if date_of_birth else "",
            "personal_code": _NOT_CODE.sub("", personal_code).upper(),
        }

    def keys(
        self, given_names: str, surname: str, date_of_birth: date | None, personal_code: str
    ) -> dict[str, str | None]:
        """The HMAC keys (None where the value is missing); `*_del` holds several keys,
        separated by spaces."""
        out = {f"given{k}": v for k, v in self._name_keys(given_names).items()}
        out.update({f"surname{k}": v for k, v in self._name_keys(surname).items()})
        for name, value in self._other_values(date_of_birth, personal_code).items():
            out[name] = self._mac(name, value)
        return {name: out[name] for name in KEY_NAMES}
