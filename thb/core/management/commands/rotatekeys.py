"""`thb rotatekeys`: re-encrypt every encrypted field under the newest key.

Key rotation: generate a key (`thb genkey`), put it first in THB_FIELD_KEYS (or the
key file) keeping the old ones after it, run this command, then drop the old keys."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from thb.core.fields import EncryptedTextField
from thb.lib.crypto import default_cipher


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields under the newest field-encryption key."

    def handle(self, *args: Any, **options: Any) -> None:
        cipher = default_cipher()
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table = model._meta.db_table
            columns = [str(f.column) for f in fields]
            with transaction.atomic():
                rows = model._default_manager.values_list("pk", *[f.attname for f in fields])
                # Values come back decrypted; saving re-encrypts them under the newest key.
                for pk, *values in rows.iterator():
                    model._default_manager.filter(pk=pk).update(
                        **{f.attname: v for f, v in zip(fields, values, strict=True)}
                    )
                    total += 1
            self.stdout.write(f"{table}: {', '.join(columns)} re-encrypted")
        del cipher
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted."))
