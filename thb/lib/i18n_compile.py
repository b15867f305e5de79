"""Compile the translation catalogues (.po to .mo) with polib, so that set-up needs no
GNU gettext on the machine. Run as `python -m thb.lib.i18n_compile`."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

# Project-level and per-app catalogues: thb/locale and thb/<app>/locale.
LOCALE_DIR = Path(__file__).resolve().parent.parent


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"compiled {path}", file=sys.stderr)
