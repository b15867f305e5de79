"""`thb demo`: load the synthetic demo data set (institutions, users, records).

Each domain app contributes its part from `thb/<app>/demo.py` (a `load(ctx)`
function, declared in its AppConfig.ready()), in the order of INSTALLED_APPS. Names
are generated, never real.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from thb.core.demo import DemoContext, demo_loaded, load_institutions_and_users
from thb.core.registry import registry


class Command(BaseCommand):
    help = "Load the demo data set. Does nothing if it is already loaded (use --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="load even if present")
        parser.add_argument("--quiet-passwords", action="store_true", help="do not print them")

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded() and not options["force"]:
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                ctx = DemoContext(stdout=self.stdout)
                load_institutions_and_users(ctx)
                for app, load in registry.demos:
                    self.stdout.write(f"Loading demo data: {app}")
                    load(ctx)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_passwords"]:
            from thb.core.demo import DEMO_PASSWORD, DEMO_USERS

            self.stdout.write("\nDemo users (local use only), password for all: " + DEMO_PASSWORD)
            for username, _role, _institution, description in DEMO_USERS:
                self.stdout.write(f"  {username:<14} {description}")
