"""`thb report YEAR --format json`: the year's figures, computed from the records."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thb.reports.figures import report_figures


class Command(BaseCommand):
    help = "Print the annual report's figures for YEAR, computed from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="the reporting year, e.g. 2020")
        parser.add_argument(
            "--format",
            choices=["json", "text"],
            default="text",
            help="json: an object whose 'figures' member maps figure ids to values",
        )
        parser.add_argument("--prefix", default="", help="only figures whose id starts so")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 1990 <= year <= 2100:
            raise CommandError(f"year {year} is out of range (1990-2100)")
        figures = report_figures(year, prefix=options["prefix"])
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"year": year, "figures": figures}, ensure_ascii=False, indent=2)
            )
        else:
            width = max((len(k) for k in figures), default=0)
            for key, value in figures.items():
                self.stdout.write(f"{key:<{width}}  {value}")
