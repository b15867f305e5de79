"""The `thb` command: Django's management commands, with a few short names.

thb serve            run the web server on http://127.0.0.1:8000
thb demo             load the demo data set (institutions, users, 2019-2021 cases)
thb setup --admin NAME   a new installation: the profile's institutions, the first administrator
thb report 2020 --format json
thb import-worker    run the imports queued from the upload page (THB_IMPORT_RUNNER=worker)
thb migrate | createsuperuser | check | ...   (every manage.py command)
"""

from __future__ import annotations

import os
import sys

ALIASES = {"serve": ["runserver", "--noreload"], "import-worker": ["import_worker"]}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thb.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args = ALIASES[args[0]] + args[1:]
        if args[0] == "runserver" and not any(a[0].isdigit() for a in args[1:]):
            args.append("127.0.0.1:8000")
    execute_from_command_line(["thb", *args])


if __name__ == "__main__":
    main()
