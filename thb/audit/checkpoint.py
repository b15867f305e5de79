"""Checkpoints of the audit chain kept outside the database: a file (one JSON line per
checkpoint, appended) and/or syslog. Whoever can rewrite the database cannot rewrite a
copy of this file kept on another machine or a remote syslog."""

from __future__ import annotations

import json
import syslog
from datetime import UTC, datetime
from pathlib import Path

from thb.audit.services import Checkpoint
from thb.lib.files import ensure_private_dir


class CheckpointError(RuntimeError):
    """The checkpoint file is missing or unreadable."""


def checkpoint_write(path: Path, checkpoint: Checkpoint) -> str:
    """Append the checkpoint to `path` (created 0600) and return the line written."""
    line = json.dumps(
        {
            "seq": checkpoint.seq,
            "hash": checkpoint.hash,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    ensure_private_dir(path.parent)
    with open(path, "a", encoding="ascii", opener=_private_opener) as handle:
        handle.write(line + "\n")
    return line


def checkpoint_syslog(checkpoint: Checkpoint) -> None:
    syslog.openlog("thb-audit", 0, syslog.LOG_AUTH)
    syslog.syslog(
        syslog.LOG_NOTICE, f"audit checkpoint seq={checkpoint.seq} hash={checkpoint.hash}"
    )


def checkpoint_read_last(path: Path) -> Checkpoint:
    """The newest checkpoint in `path`."""
    try:
        lines = [ln for ln in path.read_text(encoding="ascii").splitlines() if ln.strip()]
    except OSError as error:
        raise CheckpointError(f"cannot read the checkpoint file {path}: {error}") from None
    if not lines:
        raise CheckpointError(f"the checkpoint file {path} is empty")
    try:
        data = json.loads(lines[-1])
        return Checkpoint(seq=int(data["seq"]), hash=str(data["hash"]))
    except (ValueError, KeyError, TypeError):
        raise CheckpointError(f"the last line of {path} is not a checkpoint") from None


def _private_opener(path: str, flags: int) -> int:
    import os

    return os.open(path, flags, 0o600)
