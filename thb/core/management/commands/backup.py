"""`thb backup PATH`: a consistent copy of the whole database, ciphertext kept.

SQLite: the online backup API (safe while THB runs). PostgreSQL: pg_dump, custom
format (restore with `thb restore`). The keys are NOT in the backup: keep them apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Back the database up to PATH (encrypted fields stay encrypted)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file to create")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        # Recorded first, so the backup itself holds the event of its making.
        audit_record(
            actor=None,
            action=Action.EXPORT,
            object_type="database",
            details={"backup": path.name, "engine": connection.vendor},
        )
        try:
            database_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path}. Keep the keys apart from it."))
