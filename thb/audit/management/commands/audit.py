"""`thb audit checkpoint` and `thb audit verify`.

checkpoint  append the chain's head (position and MAC) to a file kept apart from the
            database (default THB_AUDIT_CHECKPOINT_FILE) and/or send it to syslog
verify      check every event and the chain against the newest checkpoint; exit 1 on
            any change, deletion, insertion, reordering or truncation
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thb.audit.checkpoint import (
    CheckpointError,
    checkpoint_read_last,
    checkpoint_syslog,
    checkpoint_write,
)
from thb.audit.services import Checkpoint, audit_chain_report


class Command(BaseCommand):
    help = "Checkpoint or verify the audit chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        checkpoint = sub.add_parser("checkpoint", help="record the chain's head outside the DB")
        checkpoint.add_argument("--file", help="checkpoint file (appended)")
        checkpoint.add_argument("--syslog", action="store_true", help="also send to syslog")
        checkpoint.add_argument(
            "--no-file", action="store_true", help="only syslog, no file (with --syslog)"
        )
        verify = sub.add_parser("verify", help="verify the chain against the last checkpoint")
        verify.add_argument("--checkpoint", help="checkpoint file (default: the configured one)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self._checkpoint(options)
        else:
            self._verify(options)

    def _checkpoint(self, options: dict[str, Any]) -> None:
        if options["no_file"] and not options["syslog"]:
            raise CommandError("--no-file needs --syslog: the checkpoint must go somewhere")
        report = audit_chain_report()
        if not report.ok:
            # A checkpoint vouches for the chain; never vouch for a broken one.
            raise CommandError(
                "The audit chain does not verify; no checkpoint written:\n"
                + "\n".join(report.problems)
            )
        checkpoint = Checkpoint(seq=report.head_seq, hash=report.head_hash)
        if not options["no_file"]:
            path = Path(options["file"] or settings.THB_AUDIT_CHECKPOINT_FILE)
            line = checkpoint_write(path, checkpoint)
            self.stdout.write(f"{path}: {line}")
        if options["syslog"]:
            checkpoint_syslog(checkpoint)
            self.stdout.write(f"syslog: audit checkpoint seq={checkpoint.seq}")

    def _verify(self, options: dict[str, Any]) -> None:
        checkpoint: Checkpoint | None = None
        path = Path(options["checkpoint"] or settings.THB_AUDIT_CHECKPOINT_FILE)
        if options["checkpoint"] or path.exists():
            try:
                checkpoint = checkpoint_read_last(path)
            except CheckpointError as error:
                raise CommandError(str(error)) from None
        else:
            self.stderr.write(
                f"No checkpoint file at {path}: truncation of the newest events cannot be "
                "detected (run `thb audit checkpoint` regularly)."
            )
        report = audit_chain_report(checkpoint=checkpoint)
        if not report.ok:
            raise CommandError(
                f"The audit chain is broken ({report.events} events):\n"
                + "\n".join(report.problems)
            )
        against = f" and matches the checkpoint at event {checkpoint.seq}" if checkpoint else ""
        self.stdout.write(
            self.style.SUCCESS(f"The audit chain of {report.events} events is intact{against}.")
        )
