"""Institutions, users and roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    SERVICE_PROVIDER = "service_provider", _("Service provider (NGO)")
    STATE_POLICE = "state_police", _("State Police")
    PROSECUTOR = "prosecutor", _("Prosecutor's Office")
    COURT = "court", _("Court")
    BORDER_GUARD = "border_guard", _("State Border Guard")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("State Labour Inspectorate")
    MIGRATION_OFFICE = "migration_office", _("Office of Citizenship and Migration Affairs")
    CHILDRENS_RIGHTS = "childrens_rights", _("Inspectorate for Protection of Children's Rights")
    CONSULAR = "consular", _("Consular service")
    MUNICIPALITY = "municipality", _("Municipality or social service")
    HELPLINE = "helpline", _("Helpline operator")
    TRAINING = "training", _("Training body")
    LEGAL_AID = "legal_aid", _("Legal Aid Administration")
    MINISTRY = "ministry", _("Ministry")
    OTHER = "other", _("Other")


class Institution(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Latvian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstitutionKind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name


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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles
