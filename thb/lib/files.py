"""Files only the installation's own user may read: keys, secrets, the SQLite database
and the directory that holds them (var/). Created with owner-only modes from the start,
not chmod-ed after a world-readable moment."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; tighten it if it is ours and open
    to others. A directory owned by someone else is left alone (not ours to change)."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR_MODE)
    return path


def ensure_private_file(path: Path) -> Path:
    """Create `path` empty as 0600 if it is missing (an empty file is a valid empty
    SQLite database); tighten an existing file of ours that others may read."""
    ensure_private_dir(path.parent)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    except FileExistsError:
        _tighten(path, PRIVATE_FILE_MODE)
    else:
        os.close(descriptor)
    return path


def create_private_file_once(path: Path, text: str) -> bool:
    """Create `path` (0600) holding `text`, complete or not at all; False if it exists.

    Two processes starting together (test workers, a server and a command) must not
    both make a key and overwrite each other's: the file appears by a hard link of a
    fully written temporary file, which fails if another process made it first."""
    ensure_private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(text)
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


def _tighten(path: Path, mode: int) -> None:
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(stat.S_IMODE(info.st_mode) & ~0o077 | (mode & 0o700))
