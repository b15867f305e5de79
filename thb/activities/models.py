"""What each institution did to detect and prevent trafficking: detection records,
helplines and their contacts, training events, awareness campaigns, reach figures and
international cooperation.

No model here holds a victim's identity: helpline contacts are anonymous and detection
records are counts with codes. Codes refer to the `activities` section of the country
profile. Where an institution reports only a total or an average, it enters an
aggregate return, marked as such (`DetectionAggregate`, `HelplineAggregate`,
`TrainingTotal`), never a fabricated list of records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.core import fields
from thb.core.models import external_id_unique


class AggregateBasis(models.TextChoices):
    TOTAL = "total", _("total for the period")
    ANNUAL_AVERAGE = "annual_average", _("annual average")
    APPROXIMATE = "approximate", _("approximate figure")


class ActivityRecord(models.Model):
    """Fields every activity record shares: who reported it and its external id."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("reporting institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The institution's own id for the record; bulk imports update on it.
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def _external_id_unique(name: str) -> models.UniqueConstraint:
    return external_id_unique("institution", f"{name}_unique_external_id")


class DetectionRecord(ActivityRecord):
    """One detection activity (an inspection, a complaint, an administrative case, a
    criminal proceeding opened, a report of a possible victim, ...). `count` lets one
    row stand for several identical ones on the same day (e.g. "3 protocols")."""

    kind = models.CharField(_("kind of activity"), max_length=40)
    date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("number"), default=1)
    place_type = models.CharField(_("place type"), max_length=40, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=40, blank=True)
    thb_related = models.BooleanField(_("related to trafficking"), default=False)
    reference = models.CharField(
        _("reference number"), max_length=80, blank=True, help_text=_("No personal data.")
    )

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("detection record")
        verbose_name_plural = _("detection records")
        constraints = [_external_id_unique("detection")]
        indexes = [
            # figures and lists: one institution's records of a kind in a year
            models.Index(fields=["institution", "kind", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.date:%Y-%m-%d}"


class DetectionAggregate(ActivityRecord):
    """A total or average an institution reports instead of records for one kind of
    activity in one year (the labour inspectorate's "about 10 000 inspections a year")."""

    kind = models.CharField(_("kind of activity"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("value"))
    thb_related_value = models.PositiveIntegerField(
        _("of which related to trafficking"), null=True, blank=True
    )
    basis = models.CharField(_("basis"), max_length=20, choices=AggregateBasis.choices)
    source = models.TextField(_("source or wording"), blank=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("detection aggregate return")
        verbose_name_plural = _("detection aggregate returns")
        constraints = [
            _external_id_unique("detection_aggregate"),
            models.UniqueConstraint(
                fields=["institution", "kind", "year"], name="detection_aggregate_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.value} ({self.basis})"


class Helpline(ActivityRecord):
    """A telephone or online line; `institution` is its operator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(_("number"), max_length=40)
    hours = models.CharField(_("hours"), max_length=120, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    started_on = models.DateField(_("in service since"), null=True, blank=True)
    ended_on = models.DateField(_("in service until"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("helpline")
        verbose_name_plural = _("helplines")
        constraints = [_external_id_unique("helpline")]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class HelplineContact(ActivityRecord):
    """One anonymous contact with a line. There are deliberately no identity fields."""

    helpline = models.ForeignKey(
        Helpline, verbose_name=_("helpline"), on_delete=models.PROTECT, related_name="contacts"
    )
    received_at = models.DateTimeField(_("date and time"))
    channel = models.CharField(_("channel"), max_length=20)
    thb_related = models.BooleanField(_("related to trafficking"), default=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
    topic = models.CharField(_("topic"), max_length=40, blank=True)

    class Meta:
        ordering = ["-received_at", "id"]
        verbose_name = _("helpline contact")
        verbose_name_plural = _("helpline contacts")
        constraints = [_external_id_unique("helpline_contact")]
        indexes = [
            # figures: a line's contacts by channel in a year
            models.Index(fields=["helpline", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.received_at:%Y-%m-%d %H:%M}"


class HelplineAggregate(ActivityRecord):
    """Totals for a line that does not report single contacts (116111)."""

    helpline = models.ForeignKey(
        Helpline, verbose_name=_("helpline"), on_delete=models.PROTECT, related_name="aggregates"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    channel = models.CharField(
        _("channel"), max_length=20, blank=True, help_text=_("Empty: all channels.")
    )
    contacts = models.PositiveIntegerField(_("contacts"))
    thb_related = models.PositiveIntegerField(_("of which related to trafficking"))
    source = models.TextField(_("source or wording"), blank=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("helpline aggregate return")
        verbose_name_plural = _("helpline aggregate returns")
        constraints = [_external_id_unique("helpline_aggregate")]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d}..{self.period_end:%Y-%m-%d}: {self.contacts}"


class TrainingEvent(ActivityRecord):
    """A training event the institution organised or its staff attended."""

    title = models.CharField(_("title"), max_length=300)
    own_event = models.BooleanField(
        _("organised by the reporting institution"),
        default=True,
        help_text=_("Untick when your staff attended another organiser's event."),
    )
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    event_type = models.CharField(_("type"), max_length=40)
    format = models.CharField(_("format"), max_length=20)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    sessions = models.PositiveSmallIntegerField(_("number of sessions"), default=1)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        constraints = [_external_id_unique("training_event")]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y-%m-%d})"


class TrainingParticipation(ActivityRecord):
    """How many participants of one group and profession an event had."""

    event = models.ForeignKey(
        TrainingEvent,
        verbose_name=_("training event"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    participant_group = models.CharField(_("institution group"), max_length=40)
    profession = models.CharField(_("profession"), max_length=40)
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["event", "participant_group", "profession"]
        verbose_name = _("training participants")
        verbose_name_plural = _("training participants")
        constraints = [
            _external_id_unique("training_participation"),
            models.UniqueConstraint(
                fields=["event", "participant_group", "profession"],
                name="training_participation_one_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_group}/{self.profession}: {self.count}"


class TrainingTotal(ActivityRecord):
    """The year's headline number of state and municipal employees trained, when the
    coordinator has only a total and not the events behind it (an aggregate return)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    participants = models.PositiveIntegerField(_("state and municipal employees trained"))
    source = models.TextField(_("source or wording"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("training total (aggregate return)")
        verbose_name_plural = _("training totals (aggregate returns)")
        constraints = [_external_id_unique("training_total")]

    def __str__(self) -> str:
        return f"{self.year}: {self.participants}"


class Campaign(ActivityRecord):
    title = models.CharField(_("title"), max_length=300)
    organisers = models.CharField(_("organisers"), max_length=400, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True)
    reach_note = models.CharField(_("how the reach was measured"), max_length=300, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("awareness campaign")
        verbose_name_plural = _("awareness campaigns")
        constraints = [_external_id_unique("campaign")]

    def __str__(self) -> str:
        return self.title


class CampaignMaterial(ActivityRecord):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    topic = models.CharField(_("topic"), max_length=40, blank=True)
    subtitle_languages = models.JSONField(_("subtitle languages"), default=list, blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")
        constraints = [_external_id_unique("campaign_material")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class ReachFigure(ActivityRecord):
    """A year's reach of a website or social-media account."""

    year = models.PositiveSmallIntegerField(_("year"))
    channel = models.CharField(_("channel"), max_length=40)
    metric = models.CharField(_("metric"), max_length=40)
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        ordering = ["-year", "channel"]
        verbose_name = _("reach figure")
        verbose_name_plural = _("reach figures")
        constraints = [
            _external_id_unique("reach"),
            models.UniqueConstraint(
                fields=["institution", "year", "channel", "metric"], name="reach_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.metric} {self.year}: {self.value}"


class InternationalProject(ActivityRecord):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=400)
    role = models.CharField(_("role"), max_length=20)
    lead_partner = models.CharField(_("lead partner"), max_length=200, blank=True)
    partner_countries = models.JSONField(_("partner countries"), default=list, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    funding = models.CharField(_("funding"), max_length=300, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("international project")
        verbose_name_plural = _("international projects")
        constraints = [_external_id_unique("project")]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(ActivityRecord):
    project = models.ForeignKey(
        InternationalProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    format = models.CharField(_("format"), max_length=20)
    participants = models.PositiveIntegerField(_("participants in person"), null=True, blank=True)
    video_views = models.PositiveIntegerField(_("video views"), null=True, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        constraints = [
            _external_id_unique("project_event"),
            models.UniqueConstraint(fields=["project", "code"], name="project_event_code"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class Contribution(ActivityRecord):
    """A payment to an international body (membership fee, budget contribution)."""

    year = models.PositiveSmallIntegerField(_("year"))
    recipient = models.CharField(_("recipient"), max_length=40)
    amount_eur = fields.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("international contribution")
        verbose_name_plural = _("international contributions")
        constraints = [_external_id_unique("contribution")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.year}: {self.amount_eur} EUR"
