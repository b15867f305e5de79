"""`thb genkey`: print a new field-encryption key (for THB_FIELD_KEYS or the key file)."""

from typing import Any

from django.core.management.base import BaseCommand

from thb.lib.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new field-encryption key. Put it first in THB_FIELD_KEYS, then run rotatekeys."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
