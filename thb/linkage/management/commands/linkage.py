"""`thb linkage run`: compare the persons recorded by different institutions (Splink on
DuckDB over the privacy keys) and put the possible duplicates in the owners' review
queues; prints the records, the pairs compared, the candidates and the time.

`thb linkage rekey`: recompute every person's privacy keys (after a field-key
rotation, which changes the linkage key, or a change of the profile's name rewrites).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


class Command(BaseCommand):
    help = "Record linkage: `run` fills the review queue; `rekey` recomputes the keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run", "rekey"])
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="match probability for a candidate (default: the profile's linkage.threshold)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from thb.linkage import services

        if options["action"] == "rekey":
            from thb.victims.services import identities_rewritten

            services.keyer.cache_clear()
            count = identities_rewritten()
            self.stdout.write(f"keys recomputed for {number(count)} persons")
            return
        threshold = options["threshold"]
        if threshold is not None and not 0 < threshold < 1:
            self.stderr.write("--threshold must lie between 0 and 1")
            raise SystemExit(2)
        report = services.linkage_run(threshold=threshold)
        self.stdout.write(
            f"records: {number(report.records)}\n"
            f"pairs compared: {number(report.pairs_compared)}\n"
            f"candidates at threshold {report.threshold}: {number(report.candidates)} "
            f"({number(report.new_candidates)} new in the review queue)\n"
            f"time: {report.seconds:.2f} s (CPU {report.cpu_seconds:.2f} s)"
        )
