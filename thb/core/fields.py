"""Model fields shared by the domain apps."""

from __future__ import annotations

import decimal
from typing import Any

from django.db import models
from django.utils.functional import cached_property

from thb.lib.crypto import default_cipher


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the installation's field keys (thb.lib.crypto).

    The database holds only ciphertext tokens; the value cannot be searched or sorted in
    SQL. Empty strings are stored as empty strings, so "not given" stays visible.
    """

    description = "Text encrypted at rest"
    # Marks the columns that only the field keys can read: a new key is never generated
    # while any of them holds a value (thb.lib.crypto).
    holds_ciphertext = True

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return default_cipher().decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return self.ciphertext(str(value))

    def ciphertext(self, text: str) -> str:
        """The stored form of a non-empty text (bulk inserts call it directly)."""
        return default_cipher().encrypt(text)

    def value_to_string(self, obj: models.Model) -> str:
        """Serialisers (`dumpdata`, fixtures) would write the decrypted value in plain
        text; refuse, and point to the backup that keeps the ciphertext."""
        raise EncryptedFieldExportError(
            f"{obj._meta.label}.{self.name} is encrypted at rest and is not exported in "
            "plain text. Back the database up with `thb backup PATH` (it keeps the "
            "ciphertext), or leave the model out (`--exclude "
            f"{obj._meta.label_lower}`)."
        )


class EncryptedFieldExportError(RuntimeError):
    """An encrypted field was asked for in plain text by a serialiser."""


class DecimalField(models.DecimalField):
    """Django's DecimalField that can read any stored value.

    Django quantizes every value it reads (on SQLite) in a context of `max_digits`
    precision, so one value stored out of range (an amount of 1e30 written before
    inputs were bounded, or by hand) raised InvalidOperation on every page, figure
    and report that loaded the row. The wider context reads it; the validators of
    thb.core.validators keep new values in range. It deconstructs as Django's own
    field, so migrations do not change."""

    @cached_property
    def context(self) -> decimal.Context:
        return decimal.Context(prec=max(self.max_digits or 0, 80))

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
