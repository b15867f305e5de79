"""`thb setup`: bring a freshly migrated database to a usable installation. Creates or
updates the country profile's institutions (institutions.yaml) and, with `--admin`,
the first administrator, who gets a one-time set-up link: with it they choose a
password and must enrol an authenticator app before anything else. Idempotent: run it
again after a profile update; it says what it created, changed or left alone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from thb.accounts.models import Role, User
from thb.accounts.services import institutions_from_profile, setup_link_issue, user_create
from thb.profiles.loader import ProfileError, get_profile


def database_problem() -> str | None:
    """Why this database cannot be set up, or None: it must hold THB's tables with
    every migration applied (a database with tables but no migration history is not a
    THB database, and is left alone)."""
    connection = connections[DEFAULT_DB_ALIAS]
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        if tables:
            return (
                f"The database has {len(tables)} tables but no migration history: it is "
                "not a THB database (or not one THB can recognise). Point DATABASE_URL or "
                "THB_VAR_DIR at an empty database, or restore a backup with `thb restore`."
            )
        return "The database is empty: run `thb migrate` first."
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return (
            f"{len(pending)} migrations are not applied (the first: {pending[0][0]}): "
            "run `thb migrate` first."
        )
    return None


class Command(BaseCommand):
    help = (
        "Create or update the country profile's institutions and, with --admin, the first "
        "administrator (who gets a one-time set-up link)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--admin", metavar="USERNAME", help="the first administrator's user name"
        )
        parser.add_argument("--email", default="", help="the administrator's e-mail address")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="THB's address as users reach it, for the set-up link (default %(default)s)",
        )
        parser.add_argument(
            "--new-link",
            action="store_true",
            help="issue a new set-up link for an administrator who already exists "
            "(closes the previous link; the password, once set, stays until it is changed)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problem = database_problem()
        if problem:
            raise CommandError(problem)
        try:
            profile = get_profile()
        except ProfileError as error:
            raise CommandError(str(error)) from None
        self._institutions(settings.THB_COUNTRY, len(profile.institutions))
        if options["admin"]:
            self._administrator(
                options["admin"], options["email"], options["url"], options["new_link"]
            )
        elif not User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).exists():
            self.stdout.write(
                "No administrator yet: run `thb setup --admin USERNAME` to create the first one."
            )

    def _institutions(self, country: str, listed: int) -> None:
        results = institutions_from_profile(actor=None)
        counts = dict.fromkeys(("created", "updated", "unchanged"), 0)
        for result in results:
            counts[result.outcome] += 1
            if result.outcome != "unchanged":
                institution = result.institution
                self.stdout.write(
                    f"  {result.outcome:8} {institution.code:26} {institution.name} "
                    f"({institution.kind})"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Institutions of the profile '{country}' ({listed}): {counts['created']} created, "
                f"{counts['updated']} updated, {counts['unchanged']} unchanged."
            )
        )

    def _administrator(self, username: str, email: str, url: str, new_link: bool) -> None:
        user = User.objects.filter(username=username).first()
        if user is not None and user.role != Role.ADMINISTRATOR:
            raise CommandError(
                f"The user {username!r} exists with the role {user.role!r}; choose another "
                "name for the administrator (an existing account's role is changed on the "
                "users page by an administrator, never here)."
            )
        if user is None:
            try:
                user = user_create(
                    actor=None,
                    username=username,
                    role=Role.ADMINISTRATOR,
                    institution=None,
                    email=email,
                    is_staff=True,  # the Django admin, beside THB's own pages
                    is_superuser=True,
                    two_factor_required=True,
                )
            except ValidationError as error:
                raise CommandError(
                    f"The administrator cannot be created: {' '.join(error.messages)}"
                ) from None
            self.stdout.write(self.style.SUCCESS(f"Administrator {username!r} created."))
        elif user.has_usable_password() and not new_link:
            self.stdout.write(
                f"Administrator {username!r} exists and has set a password: nothing to do "
                "(--new-link issues a new set-up link)."
            )
            return
        else:
            self.stdout.write(f"Administrator {username!r} exists; issuing a new set-up link.")
        token = setup_link_issue(actor=None, user=user)
        link = url.rstrip("/") + reverse("accounts:setup_link", args=[token])
        hours = settings.THB_SETUP_LINK_HOURS
        self.stdout.write(
            f"One-time set-up link (valid {hours} hours, works once; THB keeps no copy):\n"
            f"  {link}\n"
            "Open it, choose a password, then set up two-factor authentication with an "
            "authenticator app: THB opens nothing else until that is done."
        )
