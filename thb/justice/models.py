"""Criminal proceedings about trafficking and the related offences: the sections they
are under, injured parties, suspects and accused, property arrested, the stages through
prosecution and the courts, judgments with sentences, and non-punishment decisions.

Counts of the report ("pending at the start of the year", "sent to court") are never
stored: they are computed from these records by thb.justice.selectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from thb.accounts.models import Institution
from thb.core import fields
from thb.core.models import external_id_unique
from thb.victims.models import Case, Sex


class Proceeding(models.Model):
    """A criminal proceeding, owned by the institution that investigates it."""

    number = models.CharField(_("proceeding number"), max_length=40, unique=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("investigating institution"),
        on_delete=models.PROTECT,
        related_name="proceedings",
    )
    started_on = models.DateField(_("started on"))
    exploitation_form = models.CharField(_("form of exploitation"), max_length=40, blank=True)
    sector = models.CharField(_("sector"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("criminal proceeding")
        verbose_name_plural = _("criminal proceedings")
        indexes = [
            # The proceedings list of an institution, newest first.
            models.Index(fields=["institution", "-started_on"]),
            # Statistics: proceedings started in a year.
            models.Index(fields=["started_on"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def section_codes(self) -> list[str]:
        return [s.code for s in self.sections.all()]


class ProceedingSection(models.Model):
    """One Criminal Law section the proceeding is under (a proceeding may have several)."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("Criminal Law section"), max_length=20)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "code"], name="proceeding_section_once")
        ]
        indexes = [
            # Statistics: the proceedings under one section.
            models.Index(fields=["code", "proceeding"]),
        ]

    def __str__(self) -> str:
        return self.code


class InjuredParty(models.Model):
    """A person recognised as injured party (cietušais): a victim case in THB, or a
    counted person (sex, minor, citizenship only) when the victim has no case here."""

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="injured_parties"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("victim case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="injured_party_links",
    )
    recognised_on = models.DateField(_("recognised as injured party on"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    minor = models.BooleanField(_("minor"), default=False)
    citizenship = CountryField(_("citizenship"), blank=True)
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recognised_on", "id"]
        verbose_name = _("injured party")
        verbose_name_plural = _("injured parties")
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding", "case"],
                condition=models.Q(case__isnull=False),
                name="injured_party_case_once",
            ),
            external_id_unique("proceeding", "injured_party_external_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.proceeding} injured party {self.pk}"


class Suspect(models.Model):
    """A person suspected (aizdomās turētais) and later perhaps accused (apsūdzētais).
    Only what the statistics need: no names."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="suspects")
    label = models.CharField(
        _("label"), max_length=40, help_text=_("A short reference, e.g. “A”, not a name.")
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    minor = models.BooleanField(_("minor"), default=False)
    citizenship = CountryField(_("citizenship"), blank=True)
    suspected_on = models.DateField(_("recognised as suspect on"))
    accused_on = models.DateField(_("accused on"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["suspected_on", "id"]
        verbose_name = _("suspect or accused")
        verbose_name_plural = _("suspects and accused")
        constraints = [
            external_id_unique("proceeding", "suspect_external_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.proceeding} {self.label}"


class PropertyArrest(models.Model):
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="property_arrests"
    )
    kind = models.CharField(_("kind of property"), max_length=40)
    arrested_on = models.DateField(_("arrested on"))
    value_eur = fields.DecimalField(_("value (EUR)"), max_digits=14, decimal_places=2)
    description = models.CharField(_("description"), max_length=200, blank=True)
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["arrested_on", "id"]
        verbose_name = _("property arrest")
        verbose_name_plural = _("property arrests")
        constraints = [
            external_id_unique("proceeding", "property_arrest_external_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.proceeding} {self.kind} {self.value_eur}"


class StageKind(models.TextChoices):
    TRANSFERRED_FOR_PROSECUTION = (
        "transferred_for_prosecution",
        _("transferred to the prosecutor for prosecution"),
    )
    # The figure id says "sent_to_prosecution"; the report means the prosecutor sent the
    # case to court for trial (iztiesāšanai nosūtīta krimināllieta).
    SENT_TO_PROSECUTION = "sent_to_prosecution", _("sent to court for trial")
    FIRST_INSTANCE_RECEIVED = "first_instance_received", _("received by the first-instance court")
    FIRST_INSTANCE_EXAMINED = "first_instance_examined", _("examined by the first-instance court")
    APPEAL_RECEIVED = "appeal_received", _("received by the appeal court")
    APPEAL_EXAMINED = "appeal_examined", _("examined by the appeal court")
    CASSATION_RECEIVED = "cassation_received", _("appealed in cassation to the Supreme Court")
    CASSATION_EXAMINED = "cassation_examined", _("examined in cassation")
    TERMINATED = "terminated", _("proceeding terminated")


class StageEvent(models.Model):
    """A step of the proceeding. `institution` is the body handling that step (the
    prosecutor's office, the court); it can then see the proceeding."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=40, choices=StageKind.choices)
    on = models.DateField(_("date"))
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution handling the stage"),
        on_delete=models.PROTECT,
        related_name="proceeding_stages",
    )
    persons = models.ManyToManyField(
        Suspect, verbose_name=_("persons"), blank=True, related_name="stages"
    )
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        indexes = [
            # Statistics: stages of a kind in a year; pending counts up to a date.
            models.Index(fields=["kind", "on"]),
            # Scope: proceedings an institution handles at some stage.
            models.Index(fields=["institution", "proceeding"]),
        ]
        constraints = [
            external_id_unique("proceeding", "stage_external_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.proceeding} {self.kind} {self.on}"


class CourtLevel(models.TextChoices):
    FIRST_INSTANCE = "first_instance", _("first instance")
    APPEAL = "appeal", _("appeal")
    CASSATION = "cassation", _("cassation")


class Judgment(models.Model):
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="judgments")
    level = models.CharField(_("court level"), max_length=20, choices=CourtLevel.choices)
    delivered_on = models.DateField(_("delivered on"))
    court = models.ForeignKey(
        Institution, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivered_on", "id"]
        verbose_name = _("judgment")
        verbose_name_plural = _("judgments")
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding", "level", "delivered_on"], name="judgment_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proceeding} {self.level} {self.delivered_on}"


class Outcome(models.TextChoices):
    CONVICTED = "convicted", _("convicted")
    ACQUITTED = "acquitted", _("acquitted")


class JudgmentPerson(models.Model):
    """What the judgment decided for one accused person, with the sentence."""

    judgment = models.ForeignKey(Judgment, on_delete=models.CASCADE, related_name="persons")
    suspect = models.ForeignKey(
        Suspect, verbose_name=_("person"), on_delete=models.PROTECT, related_name="judgments"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    section = models.CharField(_("convicted under section"), max_length=20, blank=True)
    deprivation_months = models.PositiveSmallIntegerField(
        _("deprivation of liberty (months)"), null=True, blank=True
    )
    deprivation_conditional = models.BooleanField(_("conditional"), default=False)
    probation_months = models.PositiveSmallIntegerField(
        _("probation supervision (months)"), null=True, blank=True
    )
    fine_eur = fields.DecimalField(
        _("fine (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    external_id = models.CharField(_("external id"), max_length=80, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["judgment", "suspect"], name="judgment_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.judgment}: {self.suspect.label} {self.outcome}"


class NonPunishmentOutcome(models.TextChoices):
    RELEASED = "released", _("released from liability")
    PENALTY_APPLIED = "penalty_applied", _("penalty or sanction applied to the victim")


class NonPunishmentDecision(models.Model):
    """A decision on an offence a victim committed while being trafficked: released from
    liability under a non-punishment provision, or (what should not happen) penalised."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("deciding institution"),
        on_delete=models.PROTECT,
        related_name="non_punishment_decisions",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=20, choices=NonPunishmentOutcome.choices)
    decided_on = models.DateField(_("decided on"))
    offence = models.CharField(_("offence"), max_length=200, blank=True)
    proceeding = models.ForeignKey(
        Proceeding,
        verbose_name=_("criminal proceeding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="non_punishment_decisions",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("victim case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="non_punishment_decisions",
    )
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("non-punishment decision")
        verbose_name_plural = _("non-punishment decisions")
        constraints = [
            external_id_unique("institution", "non_punishment_external_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.legal_basis} {self.outcome} {self.decided_on}"
