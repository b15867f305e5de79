"""Institutions, users and roles."""

from __future__ import annotations

import enum

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from thb.core.languages import current_language, in_language
from thb.profiles.loader import get_profile


class InstitutionKind(enum.StrEnum):
    """The institution kinds the code itself tests (access rules, imports, demo).
    The kinds, their labels and what each does are profile data (`institution_kinds`
    in thb/profiles/<country>/institutions.yaml); these names only spell codes that
    the profile must declare (checked at start-up by the check accounts.E001)."""

    SERVICE_PROVIDER = "service_provider"
    STATE_POLICE = "state_police"
    PROSECUTOR = "prosecutor"
    COURT = "court"
    BORDER_GUARD = "border_guard"
    LABOUR_INSPECTORATE = "labour_inspectorate"
    MIGRATION_OFFICE = "migration_office"
    CHILDRENS_RIGHTS = "childrens_rights"
    CONSULAR = "consular"
    MUNICIPALITY = "municipality"
    HELPLINE = "helpline"
    TRAINING = "training"
    LEGAL_AID = "legal_aid"
    MINISTRY = "ministry"
    OTHER = "other"


def _kind_label(code: str) -> str:
    return get_profile().label("institution_kinds", code, current_language())


# In the language of the request that shows it, not of the process that built the choices.
institution_kind_label = lazy(_kind_label, str)


def institution_kind_choices() -> list[tuple[str, str]]:
    """The profile's institution kinds, labelled in the current language."""
    return [
        (kind.code, institution_kind_label(kind.code)) for kind in get_profile().institution_kinds
    ]


# The most characters of an institution's name, in each language.
NAME_LENGTH = 200


class Institution(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    # The name in each of the profile's languages ({language code: name}), the
    # country's own required (thb.core.validators.language_map, in institution_check).
    names = models.JSONField(_("names"), default=dict)
    # Derived from `names` by institution_save (never written elsewhere): the name in the
    # country's language as a plain column, which lists sort by (`Meta.ordering`,
    # `order_by("name")`, also through relations) and the admin searches. Sorting by a
    # JSON key instead would need a different SQL expression per database for each of
    # those queries; one derived column keeps them plain on SQLite and PostgreSQL.
    name = models.CharField(_("name (the country's language)"), max_length=NAME_LENGTH)
    kind = models.CharField(_("kind"), max_length=30, choices=institution_kind_choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        # In the language of the page that shows it (form choices, lists).
        return self.display_name(current_language())

    def display_name(self, language: str) -> str:
        # `name`: an institution created without its names (tests, benchmarks).
        return in_language(self.names, language) or self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    COMMISSION_MEMBER = "commission_member", _("Commission member")
    PROCESS_DIRECTOR = "process_director", _("Process director")
    REPORTER = "reporter", _("Institution reporter")
    COORDINATOR = "coordinator", _("Coordinator")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A person who signs in. Belongs to one institution and acts in one role."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # Set for accounts created through a set-up link (`thb setup`, the administration
    # pages, the users import): they enrol an authenticator before anything else, even
    # where THB_REQUIRE_2FA is off.
    two_factor_required = models.BooleanField(
        _("two-factor authentication required"), default=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class SetupLink(models.Model):
    """A one-time link with which an account sets its first password (and then enrols
    an authenticator). The link carries a random token signed with the secret key; only
    the token's SHA-256 is stored, so the link is shown once, to whoever issued it. It
    is closed when used, when a newer link is issued, or when it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="setup_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("set-up link")
        verbose_name_plural = _("set-up links")

    def __str__(self) -> str:
        return f"set-up link of {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"
