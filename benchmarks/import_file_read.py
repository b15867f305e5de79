"""Benchmark: reading the largest import files the limits accept, time and peak memory.

Writes an XLSX (shared strings, as spreadsheets save them) and a CSV of N rows x C
columns, within thb/interop/tables.py's limits (MAX_FILE_BYTES, MAX_ROWS), then reads
each in a fresh process as the import does: the checking pass of `read_table` and one
pass over the rows. Prints the file size, seconds and peak memory (ru_maxrss) of each.

    .venv/bin/python benchmarks/import_file_read.py --rows 200000

The defaults come close to the 20 MB limit at the 200 000-row limit.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_READ = """
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thb.settings")
import django
django.setup()
from thb.interop.tables import read_table
path = sys.argv[1]
data = open(path, "rb").read()
started = time.monotonic()
table = read_table(path, data)
cells = sum(len(cells) for _line, cells in table.rows)
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(table.rows)} rows, {cells} cells, {seconds:.1f} s, peak {peak:.0f} MB")
"""


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(path: Path, rows: int, columns: int) -> None:
    words = [f"vārds {n}" for n in range(1000)]
    shared = "".join(f"<si><t>{w}</t></si>" for w in words)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="s" sheetId="1" r:id="r1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{shared}</sst>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for row in range(1, rows + 2):
                cells = "".join(
                    f'<c r="{_column(c)}{row}" t="s"><v>{(row * c) % 1000}</v></c>'
                    if c % 2
                    else f'<c r="{_column(c)}{row}"><v>{row * c}</v></c>'
                    for c in range(1, columns + 1)
                )
                sheet.write(f'<row r="{row}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
    path.write_bytes(out.getvalue())


def write_csv(path: Path, rows: int, columns: int) -> None:
    with path.open("w", encoding="cp1257", newline="") as out:
        out.write(";".join(f"kolonna {c}" for c in range(columns)) + "\n")
        for row in range(rows):
            out.write(";".join(f"vērtība {row * c}" for c in range(columns)) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--columns", type=int, default=18, help="XLSX columns (18)")
    parser.add_argument("--csv-columns", type=int, default=6, help="CSV columns (6)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="thb-bench-"))
    for name, write, columns in (
        ("file.xlsx", write_xlsx, args.columns),
        ("file.csv", write_csv, args.csv_columns),
    ):
        path = scratch / name
        write(path, args.rows, columns)
        done = subprocess.run(
            [sys.executable, "-c", _READ, str(path)],
            cwd=ROOT,
            env={**os.environ, "THB_VAR_DIR": str(scratch)},
            capture_output=True,
            text=True,
            check=False,
        )
        size = path.stat().st_size / 2**20
        print(f"{name}: {size:.1f} MB: {(done.stdout or done.stderr).strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
