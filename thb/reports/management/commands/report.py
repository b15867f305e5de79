"""`thb report YEAR`: the annual report of YEAR in any format and edition, computed
from the records (the earlier years it compares with are read from their frozen
snapshots where closed; --from-records computes them too); `thb report --list` prints
the figure catalogue.

`--format json` to standard output is the acceptance contract: an object whose
"figures" member maps every catalogue id to its value (0 where nothing was counted).
Progress goes to standard error, so standard output stays the file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.core.languages import country_language, languages
from thb.core.params import YEAR_MAX, YEAR_MIN
from thb.reports.catalogue import catalogue
from thb.reports.document import EDITIONS
from thb.reports.figures import report_figures
from thb.reports.models import ReportVersion
from thb.reports.selectors import FORMATS, report_file

# Formats written to standard output when no --output is given; the others are files.
TEXT_FORMATS = ("json", "html")


class Command(BaseCommand):
    help = (
        "Build the annual report of YEAR (html, pdf, xlsx, csv, json) in a language and "
        "edition, or print its figures (text); --list prints the figure catalogue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, nargs="?", help="the reporting year, e.g. 2020")
        parser.add_argument(
            "--format",
            choices=[*FORMATS, "text"],
            default="text",
            help="json: an object whose 'figures' member maps every figure id to its value; "
            "text: the figures, one a line",
        )
        parser.add_argument(
            "--lang",
            choices=languages(),
            default=country_language(),
            help="the report's language (default: the country's own)",
        )
        parser.add_argument("--edition", choices=EDITIONS, default="internal")
        parser.add_argument(
            "--output",
            default="",
            help="file (or existing directory) to write; default: standard output for "
            "json and html, the report's file name in the current directory otherwise",
        )
        parser.add_argument(
            "--frozen",
            dest="report_version",
            metavar="VERSION",
            type=int,
            default=None,
            help="a frozen version of the year's report (default: the current edition)",
        )
        parser.add_argument(
            "--from-records",
            action="store_true",
            help="compute the earlier years the report compares with from the records even "
            "when closed (default: a closed earlier year's figures are those of its latest "
            "frozen version, as the pages show them)",
        )
        parser.add_argument("--prefix", default="", help="only figures whose id starts so")
        parser.add_argument(
            "--list", action="store_true", help="print the figure catalogue and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list(options["lang"])
            return
        year = options["year"]
        if year is None:
            raise CommandError("give the reporting YEAR (or --list)")
        try:
            validators.year(year)
        except ValidationError:
            raise CommandError(f"year {year} is out of range ({YEAR_MIN}-{YEAR_MAX})") from None
        if options["format"] == "text":
            self._text(year, options["prefix"])
            return
        self._file(year, options)

    def _list(self, language: str) -> None:
        for figure in catalogue().values():
            persons = "persons" if figure.counts_persons else "-"
            self.stdout.write(
                f"{figure.id}\t{figure.unit}\t{persons}\t{figure.definition.get(language)}"
            )

    def _text(self, year: int, prefix: str) -> None:
        figures = report_figures(year, prefix=prefix)
        width = max((len(k) for k in figures), default=0)
        for key, value in figures.items():
            self.stdout.write(f"{key:<{width}}  {value}")

    def _version(self, year: int, number: int | None) -> ReportVersion | None:
        if number is None:
            return None
        version = ReportVersion.objects.filter(year=year, number=number).first()
        if version is None:
            raise CommandError(f"the {year} report has no frozen version {number}")
        return version

    def _file(self, year: int, options: dict[str, Any]) -> None:
        fmt, language, edition = options["format"], options["lang"], options["edition"]
        version = self._version(year, options["report_version"])
        stderr = getattr(self.stderr, "_out", sys.stderr)
        # Steps: figures, document, rendering, writing (report_file reports the first three).
        with tqdm(total=4, file=stderr, bar_format="[{n_fmt}/{total_fmt}] {desc}") as bar:

            def step(message: str) -> None:
                bar.n += 1
                bar.set_description_str(message)

            try:
                rendered = report_file(
                    year=year,
                    language=language,
                    edition=edition,
                    fmt=fmt,
                    version=version,
                    progress=step,
                    recompute=options["from_records"],
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            content = rendered.content
            if fmt == "json" and options["prefix"]:
                content = self._only_prefix(content, options["prefix"])
            target = self._target(options["output"], rendered.filename, fmt)
            step(f"writing {target or 'standard output'}")
            if target is None:
                self.stdout.write(content.decode("utf-8"))
            else:
                target.write_bytes(content)
        audit_record(
            actor=None,
            action=Action.EXPORT,
            object_type="reports.report",
            object_id=str(year),
            details={
                "year": year,
                "edition": edition,
                "format": fmt,
                "language": language,
                "version": version.number if version else None,
                "via": "command",
            },
        )

    @staticmethod
    def _only_prefix(content: bytes, prefix: str) -> bytes:
        data = json.loads(content)
        data["figures"] = {k: v for k, v in data["figures"].items() if k.startswith(prefix)}
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")

    @staticmethod
    def _target(output: str, filename: str, fmt: str) -> Path | None:
        if output == "-" or (not output and fmt in TEXT_FORMATS):
            return None
        if not output:
            return Path(filename)
        path = Path(output)
        if path.is_dir():
            return path / filename
        if not path.parent.exists():
            raise CommandError(f"--output: directory {path.parent} does not exist")
        return path
