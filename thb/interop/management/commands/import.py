"""`thb import FILE --type TYPE --user USERNAME [--dry-run]`: import a CSV or XLSX file,
all rows or none. `thb import --describe [--type TYPE]` prints the columns of the
registered types as Markdown."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from thb.accounts.models import User
from thb.interop.importer import import_file
from thb.interop.registry import registered
from thb.interop.templates_files import describe


class _RawEpilog(DjangoHelpFormatter):
    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


def _language_argument() -> str | None:
    for number, argument in enumerate(sys.argv):
        if argument == "--language" and number + 1 < len(sys.argv):
            return sys.argv[number + 1]
        if argument.startswith("--language="):
            return argument.split("=", 1)[1]
    return None


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of one record type (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the CSV or XLSX file")
        parser.add_argument("--type", dest="type_name", help="the import type (see --describe)")
        parser.add_argument("--user", help="username of the acting user (scope and audit)")
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")
        parser.add_argument(
            "--ignore-columns",
            action="store_true",
            help="skip the file's unknown columns (refused otherwise); the result names them",
        )
        parser.add_argument(
            "--describe", action="store_true", help="print the columns of the types and exit"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument("--language", help="language of messages and labels (lv, en)")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # `thb import --help` ends with the types and their labels in the language of
        # the installation (THB's default language; --language for another).
        language = _language_argument() or settings.LANGUAGE_CODE
        with translation.override(language):
            types = [f"  {t.name}: {t.label}" for t in registered().values()]
            epilog = _("Types (thb import --describe --type TYPE lists the columns):")
        kwargs.setdefault("epilog", epilog + "\n" + "\n".join(types))
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _RawEpilog
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        with translation.override(options.get("language") or settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def handle(self, *args: Any, **options: Any) -> None:
        types = registered()
        type_name = options["type_name"]
        if type_name is not None and type_name not in types:
            raise CommandError(f"Unknown type {type_name!r}. Types: {', '.join(types)}")
        if options["describe"]:
            for import_type in types.values():
                if type_name in (None, import_type.name):
                    self.stdout.write(describe(import_type))
            return
        if not options["file"] or not type_name or not options["user"]:
            raise CommandError("Give FILE, --type and --user (or --describe).")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        with tqdm(
            desc=path.name, unit="row", file=sys.stderr, disable=options["no_progress"] or None
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                result = import_file(
                    actor=user,
                    import_type=types[type_name],
                    file_name=path.name,
                    data=data,
                    dry_run=options["dry_run"],
                    progress=progress,
                    ignore_columns=options["ignore_columns"],
                )
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
        for error in result.errors:
            self.stderr.write(str(error))
        if result.skipped_columns:
            self.stdout.write(
                _("Skipped columns: %(columns)s.") % {"columns": ", ".join(result.skipped_columns)}
            )
        if result.more_errors:
            self.stderr.write("… more errors not shown.")
        if not result.ok:
            raise CommandError(
                f"{path.name}: {len(result.errors)} error(s) in {result.rows} row(s); "
                "nothing was saved."
            )
        verb = "checked (dry run, nothing saved)" if result.dry_run else "imported"
        self.stdout.write(
            f"{path.name}: {result.rows} row(s) {verb}: {result.created} new, "
            f"{result.existing} already present."
        )
