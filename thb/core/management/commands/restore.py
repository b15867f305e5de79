"""`thb restore PATH`: restore a `thb backup` into the configured, empty database.

Afterwards the configured keys must read the restored data and the audit chain must
verify; the command says so and exits non-zero if not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thb.audit.services import audit_chain_report
from thb.core.backup import BackupError, database_restore, unreadable_encrypted_fields


class Command(BaseCommand):
    help = "Restore a backup made by `thb backup` into the configured (empty) database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            database_restore(path, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {path}.")
        unreadable = unreadable_encrypted_fields()
        if unreadable:
            raise CommandError(
                "Restored, but the configured field keys cannot read "
                + ", ".join(unreadable)
                + ": put this backup's keys in THB_FIELD_KEYS or the key file."
            )
        report = audit_chain_report()
        if not report.ok:
            raise CommandError(
                "Restored, but the audit chain does not verify (wrong audit keys, or a "
                "damaged backup):\n" + "\n".join(report.problems)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The keys read the data; the audit chain of {report.events} events verifies."
            )
        )
