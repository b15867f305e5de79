"""`thb deadlines notify`: e-mail each responsible user the legal deadlines that are
overdue or fall due soon. Run it once a day (cron or a systemd timer: docs/residence.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from thb.residence.notify import deadlines_notify


class Command(BaseCommand):
    help = "Legal deadlines of the residence track. Subcommand: notify."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        notify = sub.add_parser("notify", help="e-mail what falls due to each responsible user")
        notify.add_argument("--date", help="count as if today were this date (YYYY-MM-DD)")
        notify.add_argument(
            "--dry-run",
            action="store_true",
            help="list who would be mailed; send nothing, change nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "notify":
            raise CommandError("unknown subcommand")
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date: use YYYY-MM-DD") from None
        result = deadlines_notify(today=today, dry_run=options["dry_run"])
        verb = "would mail" if options["dry_run"] else "mailed"
        self.stdout.write(
            f"{today.isoformat()}: {result.tracks_started} new residence tracks; "
            f"{verb} {result.mails} users"
            + (f": {', '.join(result.users)}" if result.users else "")
        )
