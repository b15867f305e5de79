"""Referrals of presumed victims by the institutions that find them (police, border
guard, labour inspectorate, migration office, consuls, social services, children's
rights inspectorate) to a service provider, and the anonymous notifications sent
instead when an adult does not consent.

A referral carries the person's identifying data for the intake, kept apart in
`ReferralIdentity` and encrypted at rest; it is decrypted only through
`thb.referrals.policy.identity_for`. An anonymous notification has no identity at all.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from thb.accounts.models import Institution
from thb.core.fields import EncryptedTextField
from thb.victims.models import Case, Sex


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED)


class Referral(models.Model):
    """One referral of a presumed victim from a referring institution to a provider."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    referring_institution = models.ForeignKey(
        Institution,
        verbose_name=_("referring institution"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referring officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider = models.ForeignKey(
        Institution,
        verbose_name=_("service provider"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    sent_at = models.DateTimeField(_("sent at"))
    # The day it was sent and the last day of the acknowledgement, in the profile's
    # time zone (the deadline list compares dates).
    sent_on = models.DateField(_("sent on"))
    acknowledge_by = models.DateField(_("acknowledge by"))
    urgency = models.CharField(_("urgency"), max_length=40)
    consent = models.CharField(_("consent"), max_length=40)
    consent_on = models.DateField(_("consent given or refused on"))
    language = models.CharField(_("language"), max_length=40)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    contact_arrangement = models.CharField(_("contact arrangement"), max_length=40)
    # Not identifying by themselves; needed to pre-fill the intake.
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    citizenship = CountryField(_("citizenship"), blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    suspected_forms = models.JSONField(
        _("suspected forms of exploitation"), default=list, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # Its day in the profile's time zone (compared with acknowledge_by in SQL).
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=40, blank=True)
    decline_note = models.TextField(_("explanation"), blank=True)
    # What the officer observed, against the ILO/EC indicators (thb.screening);
    # attached to the case when the referral is accepted.
    screening = models.OneToOneField(
        "screening.Screening",
        verbose_name=_("screening"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The case the accepted referral became (seen by the provider only).
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            # The provider's incoming list and deadline list: open referrals by due date.
            models.Index(fields=["provider", "status", "acknowledge_by"]),
            # The referring institution's list, newest first.
            models.Index(fields=["referring_institution", "-sent_at"]),
            # Statistics: referrals sent in a year.
            models.Index(fields=["sent_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def acknowledged_on_time(self) -> bool | None:
        """None while not acknowledged."""
        if self.acknowledged_on is None:
            return None
        return self.acknowledged_on <= self.acknowledge_by


class ReferralIdentity(models.Model):
    """The person's identifying data for the intake, encrypted at rest. No way back
    from the referral (`related_name="+"`): read only through
    `thb.referrals.policy.identity_for`, which checks the policy and audits the read.
    Emptied when the referral is accepted (the identity then lives in the case)."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="+")
    given_names = EncryptedTextField(_("given names"), blank=True)
    surname = EncryptedTextField(_("surname"), blank=True)
    personal_code = EncryptedTextField(_("personal code"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    contact_notes = EncryptedTextField(_("contact details and arrangements"), blank=True)
    observations = EncryptedTextField(_("what was observed (notes)"), blank=True)

    def __str__(self) -> str:
        return f"identity of referral {self.referral_id}"


class AnonymousNotification(models.Model):
    """A presumed victim (an adult who did not consent to a referral) notified without
    any identity: counted in the statistics of presumed victims who did not enter the
    mechanism. There is deliberately no name, date of birth, contact or free text."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("notifying institution"),
        on_delete=models.PROTECT,
        related_name="anonymous_notifications",
    )
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notified_on = models.DateField(_("date"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=40)
    citizenship = CountryField(_("citizenship"), blank=True)
    suspected_forms = models.JSONField(
        _("suspected forms of exploitation"), default=list, blank=True
    )
    # The screening result (indicators only: a notification carries no free text).
    screening = models.OneToOneField(
        "screening.Screening",
        verbose_name=_("screening"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-notified_on", "-id"]
        verbose_name = _("anonymous notification")
        verbose_name_plural = _("anonymous notifications")
        indexes = [
            # Statistics: notifications of a year.
            models.Index(fields=["notified_on"]),
        ]

    def __str__(self) -> str:
        return self.reference
