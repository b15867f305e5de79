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

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return default_cipher().decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return default_cipher().encrypt(str(value))
