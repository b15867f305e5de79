"""The victim register: persons, their identifying data kept apart and encrypted, cases
at institutions, the exploitation profile, identification decisions and the timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from thb.accounts.models import Institution
from thb.core.fields import EncryptedTextField
from thb.core.models import external_id_unique


def country_code(value: object) -> str:
    """The ISO code of a django-countries value (a Country object or a plain code)."""
    return str(getattr(value, "code", value) or "")


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class Person(models.Model):
    """A (potential) victim under a pseudonymous code. Nothing here identifies them."""

    code = models.CharField(_("case code"), max_length=20, unique=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    citizenship = CountryField(_("citizenship"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.code


class PersonIdentity(models.Model):
    """The identifying fields, kept apart from the case data and encrypted at rest.

    There is deliberately no way back from the person (`related_name="+"`): an identity
    is decrypted only through `thb.victims.policy.identity_for`, which checks the
    policy and audits the read, so `person.identity` in a view or a template fails."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    given_names = EncryptedTextField(_("given names"), blank=True)
    surname = EncryptedTextField(_("surname"), blank=True)
    personal_code = EncryptedTextField(_("personal code"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)

    def __str__(self) -> str:
        return f"identity of {self.person.code}"


class CaseStatus(models.TextChoices):
    POTENTIAL = "potential", _("potential victim")
    RECOGNISED = "recognised", _("recognised")
    NOT_RECOGNISED = "not_recognised", _("not recognised")


class Case(models.Model):
    """A person's case at the institution that owns it (normally a service provider)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("owning institution"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.POTENTIAL
    )
    intake_date = models.DateField(_("intake date"))
    referral_channel = models.CharField(_("referral channel"), max_length=40)
    referring_institution = models.ForeignKey(
        Institution,
        verbose_name=_("referring institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_cases",
    )
    # Where a victim was identified abroad (a consular report, a referral from an NGO
    # abroad): the country; blank for a victim identified at home. A return home is
    # planned from it (thb.returns).
    identified_abroad_in = CountryField(_("identified abroad in"), blank=True)
    # Victim profile at identification.
    age_at_identification = models.PositiveSmallIntegerField(
        _("age at identification"), null=True, blank=True
    )
    education = models.CharField(_("education"), max_length=40, default="unknown")
    # Exploitation profile.
    recruitment_method = models.CharField(_("recruitment method"), max_length=40, default="unknown")
    # Recruitment detail and the route into the country (profile codes; blank: none known).
    recruitment_platform = models.CharField(_("recruitment platform"), max_length=40, blank=True)
    migration_route = models.CharField(_("visa or posting route"), max_length=40, blank=True)
    exploitation_start = models.DateField(_("exploitation from"), null=True, blank=True)
    exploitation_end = models.DateField(_("exploitation until"), null=True, blank=True)
    primary_form = models.CharField(_("primary form"), max_length=40, blank=True)
    primary_form_override = models.CharField(
        _("primary form (override)"), max_length=40, blank=True
    )
    primary_form_override_reason = models.TextField(_("reason for the override"), blank=True)
    # The report's "by form of exploitation" row of the case (rules.exploitation_key:
    # "labour.construction", "sexual+labour", ...; blank when no form is recorded).
    # Kept by the service that writes the forms, so that statistics count it in SQL.
    exploitation_key = models.CharField(
        _("combination of forms"), max_length=200, blank=True, editable=False
    )
    screening_notes = EncryptedTextField(_("screening notes"), blank=True)
    # Routing: the commission sees cases put before it; a process director the cases
    # of its criminal proceedings.
    submitted_to_commission_on = models.DateField(
        _("put before the commission on"), null=True, blank=True
    )
    proceeding_institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution of the criminal proceeding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proceeding_cases",
    )
    proceeding_reference = models.CharField(
        _("criminal proceeding number"), max_length=40, blank=True
    )
    # Recognised as an injured party (cietušais) in criminal proceedings.
    injured_party_on = models.DateField(_("recognised as injured party on"), null=True, blank=True)
    injured_party_proceeding = models.CharField(
        _("proceeding of the injured-party status"), max_length=40, blank=True
    )
    # The decision that settled the status (denormalised for statistics by year).
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    # Record linkage (thb/linkage): the cases of one person at several institutions,
    # confirmed by both owners, share a group (the lowest case id of the group); the
    # statistics count one case of a group (victims.figures). Kept by
    # services.cases_link.
    linked_group = models.PositiveBigIntegerField(
        _("linked with the same person's cases"), null=True, blank=True, editable=False
    )
    # Migrated from an institution's historical register (bulk import): its decision may
    # lack the criteria and members a decision recorded in THB has.
    historical = models.BooleanField(_("imported from a historical register"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-intake_date", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The case list (victims.selectors.case_list, keyset paging on CASE_ORDER):
            #   SELECT ... FROM victims_case WHERE institution_id = %s
            #   [AND (intake_date, id) < (%s, %s)] ORDER BY intake_date DESC, id DESC
            #   LIMIT 51
            # read in index order and stopped after one page: no sort of the
            # institution's cases (the id, the tiebreaker, is in the index).
            models.Index(
                fields=["institution", "-intake_date", "-id"], name="case_list_institution_idx"
            ),
            # The same list for a process director (CasePolicy.scope):
            #   ... WHERE proceeding_institution_id = %s ORDER BY intake_date DESC, id DESC
            models.Index(
                fields=["proceeding_institution", "-intake_date", "-id"],
                name="case_list_proceeding_idx",
            ),
            # Statistics: decisions in a year by status.
            models.Index(fields=["status", "decided_on"]),
            # Record years: SELECT DISTINCT year of injured_party_on WHERE it IS NOT NULL
            # (victims.figures._record_years, every report and statistics page).
            models.Index(fields=["injured_party_on"], name="case_injured_party_on_idx"),
            # Statistics: the other cases of a linked person (victims.figures).
            models.Index(fields=["linked_group"], name="case_linked_group_idx"),
            # Statistics: the linked cases decided in a year (linkage.figures._links):
            #   SELECT COUNT(*) ... WHERE decided_on BETWEEN %s AND %s
            #   AND linked_group IS NOT NULL AND status IN (...)
            # reads the few linked cases, not every case decided in the year (status
            # first, as in the index above, or SQLite's planner prefers that one).
            models.Index(
                fields=["status", "decided_on"],
                condition=models.Q(linked_group__isnull=False),
                name="case_linked_decided_idx",
            ),
        ]
        constraints = [external_id_unique("institution", "case_external_id_unique_per_institution")]

    def __str__(self) -> str:
        return self.person.code

    @property
    def effective_primary_form(self) -> str:
        return self.primary_form_override or self.primary_form

    @property
    def is_minor(self) -> bool | None:
        from thb.profiles import get_profile

        if self.age_at_identification is None:
            return None
        return self.age_at_identification < get_profile().country.age_of_majority


class CaseExploitation(models.Model):
    """One form of exploitation a person suffered, with the sector for labour."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="forms")
    form = models.CharField(_("form of exploitation"), max_length=40)
    sector = models.CharField(_("sector"), max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "form"], name="case_form_once"),
        ]

    def __str__(self) -> str:
        return f"{self.form}:{self.sector}" if self.sector else self.form


class CasePlace(models.Model):
    """A place of exploitation: a country and, inside the profile's country, a region."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="places")
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=40, blank=True)

    def __str__(self) -> str:
        code = country_code(self.country)
        return f"{code}:{self.region}" if self.region else code


class CaseVulnerability(models.Model):
    """A vulnerability factor of the person (profile: vulnerability_factors)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="vulnerabilities")
    factor = models.CharField(_("vulnerability factor"), max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "factor"], name="case_vulnerability_once"),
        ]

    def __str__(self) -> str:
        return self.factor


class CaseTransit(models.Model):
    """A country the person was moved through, in the route's order."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transits")
    position = models.PositiveSmallIntegerField(_("position on the route"))
    country = CountryField(_("transit country"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_transit_position_once"),
        ]

    def __str__(self) -> str:
        return country_code(self.country)


class DecisionKind(models.TextChoices):
    COMMISSION = "commission", _("specialist commission")
    PROCESS_DIRECTOR = "process_director", _("process director in criminal proceedings")


class IdentificationDecision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decided by"), max_length=20, choices=DecisionKind.choices)
    decided_on = models.DateField(_("decision date"))
    recognised = models.BooleanField(_("recognised as a victim"))
    criteria_met = models.JSONField(_("criteria met"), default=list, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    # Commission decisions: the members present, one a line.
    members = models.TextField(_("commission members"), blank=True)
    # Process-director decisions: the proceeding.
    proceeding_reference = models.CharField(
        _("criminal proceeding number"), max_length=40, blank=True
    )
    # The institution whose commission or process director decided, where known.
    deciding_institution = models.ForeignKey(
        Institution,
        verbose_name=_("deciding institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Transcribed from a historical register (criteria and members may be missing).
    historical = models.BooleanField(_("from a historical register"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.decided_on} {'+' if self.recognised else '-'}"


class CaseEvent(models.Model):
    """The case timeline shown to the people working on it (the audit log is separate)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=40)
    # Codes and values only; rendered through the timeline template.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"
