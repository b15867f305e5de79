"""Model fields shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django.db import models

from thb.lib.crypto import default_cipher


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the installation's field keys (thb.lib.crypto).

    The database holds only Fernet tokens; the value cannot be searched or sorted in
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
        return default_cipher().encrypt(str(value))

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
