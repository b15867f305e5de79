"""`thb import-worker [--once] [--poll SECONDS]`: run the import jobs queued from the
upload page, in a process of its own (THB_IMPORT_RUNNER=worker), until stopped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thb.interop import runner


class Command(BaseCommand):
    help = "Run queued import jobs (uploads of the import page) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="run the jobs waiting now, then exit"
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=runner.POLL_SECONDS,
            help=f"seconds between looks at the queue ({runner.POLL_SECONDS:g})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = runner.work(once=options["once"], poll=max(0.5, options["poll"]))
        except KeyboardInterrupt:
            # A job interrupted here was one transaction: nothing of it was saved, and
            # the next runner to start marks it failed.
            self.stdout.write("Stopped.")
            return
        self.stdout.write(f"{count} import job(s) run.")
