"""The residence track of a foreign (non-EU) victim under the law on the residence of
victims of trafficking, and the legal deadlines it opens, kept as records."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thb.accounts.models import Institution
from thb.core.languages import in_language
from thb.victims.models import Case


class StatusBasis(models.TextChoices):
    RECOGNISED = "recognised", _("recognised as a victim of trafficking")
    INJURED_PARTY = "injured_party", _("recognised as an injured party")


class ResidenceTrack(models.Model):
    """One foreign victim's way through the law: information, application, reflection
    period, evaluation, permit requests and permits."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="residence_track")
    # The victim status that opens the track (and the application deadline).
    status_basis = models.CharField(
        _("victim status"), max_length=20, choices=StatusBasis.choices, blank=True
    )
    status_granted_on = models.DateField(_("victim status granted on"), null=True, blank=True)
    # Written information about the reflection period (caseworker).
    information_given_on = models.DateField(
        _("written information given on"), null=True, blank=True
    )
    information_language = models.CharField(
        _("language of the information"), max_length=40, blank=True
    )
    # Application for a reflection period (caseworker, on the victim's behalf).
    application_on = models.DateField(_("application submitted on"), null=True, blank=True)
    application_late_reason = models.TextField(_("reason for the late application"), blank=True)
    # Reflection-period decision (process director).
    reflection_decided_on = models.DateField(_("decision date"), null=True, blank=True)
    reflection_granted = models.BooleanField(_("reflection period granted"), null=True)
    reflection_start = models.DateField(_("reflection period from"), null=True, blank=True)
    reflection_end = models.DateField(_("reflection period until"), null=True, blank=True)
    # Evaluation of further stay (process director).
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    further_stay_useful = models.BooleanField(
        _("further stay helps the investigation or trial"), null=True
    )
    keeps_contact_with_suspects = models.BooleanField(
        _("the victim keeps contact with suspects or accused"), null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("residence track")
        verbose_name_plural = _("residence tracks")
        indexes = [
            # Figures: reflection periods granted in a year.
            models.Index(fields=["reflection_granted", "reflection_decided_on"]),
        ]

    def __str__(self) -> str:
        return f"residence track {self.case}"


class RequestKind(models.TextChoices):
    INITIAL = "initial", _("temporary residence permit")
    EXTENSION = "extension", _("extension of the permit")


class PermitRequest(models.Model):
    """The process director's request to the Office of Citizenship and Migration
    Affairs (PMLP) to issue or extend a temporary residence permit."""

    track = models.ForeignKey(ResidenceTrack, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    requested_on = models.DateField(_("requested on"))
    months = models.PositiveSmallIntegerField(_("period requested (months)"))
    accompanying_minor_children = models.PositiveSmallIntegerField(
        _("accompanying minor children"), default=0
    )
    migration_office = models.ForeignKey(
        Institution,
        verbose_name=_("migration office"),
        on_delete=models.PROTECT,
        related_name="residence_permit_requests",
    )
    reasons = models.TextField(_("reasons"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_on", "id"]
        indexes = [
            # PMLP's list of requests awaiting a permit.
            models.Index(fields=["migration_office", "requested_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.track.case} {self.kind} {self.requested_on}"


class PermitHolder(models.TextChoices):
    VICTIM = "victim", _("the victim")
    CHILD = "child", _("an accompanying minor child")


class ResidencePermit(models.Model):
    """A temporary residence permit PMLP issued on a request."""

    request = models.ForeignKey(PermitRequest, on_delete=models.PROTECT, related_name="permits")
    holder = models.CharField(_("issued to"), max_length=10, choices=PermitHolder.choices)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"))
    right_to_work = models.BooleanField(_("right to work without restriction"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from", "id"]
        indexes = [
            # Figures: permits issued to victims in a year.
            models.Index(fields=["holder", "issued_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.request.track.case} {self.holder} {self.valid_from}-{self.valid_to}"


class DeadlineKind(models.TextChoices):
    APPLICATION = "application", _("application for a reflection period")
    EVALUATION = "evaluation", _("evaluation of further stay")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("deadline", "open")
    MET = "met", pgettext_lazy("deadline", "met")
    MISSED = "missed", pgettext_lazy("deadline", "missed")
    CANCELLED = "cancelled", pgettext_lazy("deadline", "no longer applies")


# The most characters of a deadline's legal basis, in each language.
LEGAL_BASIS_LENGTH = 300


class Deadline(models.Model):
    """A legal deadline: which provision sets it, the event that started it, the due
    date, who must act, and the event that met it. The status is computed."""

    track = models.ForeignKey(ResidenceTrack, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("deadline"), max_length=20, choices=DeadlineKind.choices)
    # The provision as cited when the deadline opened (the profile may change later).
    # {language code: citation}, in each of the profile's languages.
    legal_basis = models.JSONField(_("legal basis"))
    started_by = models.CharField(_("started by"), max_length=40)
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"))
    responsible_institution = models.ForeignKey(
        Institution,
        verbose_name=_("responsible institution"),
        on_delete=models.PROTECT,
        related_name="residence_deadlines",
    )
    responsible_role = models.CharField(_("responsible role"), max_length=30)
    met_by = models.CharField(_("met by"), max_length=40, blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    cancelled_on = models.DateField(_("no longer applies since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "kind"], name="one_deadline_per_kind"),
        ]
        indexes = [
            # The deadlines page and the reminder: an institution's open deadlines by date.
            models.Index(fields=["responsible_institution", "met_on", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.track.case} {self.kind} {self.due_on}"

    def status_on(self, today: date) -> str:
        if self.cancelled_on is not None:
            return DeadlineStatus.CANCELLED
        if self.met_on is not None:
            return DeadlineStatus.MET if self.met_on <= self.due_on else DeadlineStatus.MISSED
        return DeadlineStatus.MISSED if today > self.due_on else DeadlineStatus.OPEN

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def legal_basis_in(self, language: str) -> str:
        return in_language(self.legal_basis, language)
