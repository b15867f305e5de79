"""The specialist commission: cases a provider puts before it (with the screening and
a summary, never the identity), its meetings with their attendance and agenda, and
each member's position on each case. The decision itself is the victim register's
(thb.victims IdentificationDecision, recorded through its service)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.core.fields import EncryptedTextField


class Submission(models.Model):
    """A case put before the specialist commission by its owning provider."""

    case = models.OneToOneField(
        "victims.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="commission_submission",
    )
    # The provider that owns the case and convenes the commission.
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="commission_submissions",
    )
    submitted_on = models.DateField(_("submitted on"))
    # The last day by which the commission considers the case (profile: consider_within).
    due_on = models.DateField(_("to be considered by"))
    # What the commission reads about the case; free text may identify the person, so
    # it is encrypted at rest (the pages show it only to the commission and the provider).
    summary = EncryptedTextField(_("case summary"))
    screening = models.ForeignKey(
        "screening.Screening",
        verbose_name=_("screening"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_on", "id"]
        verbose_name = _("submission to the commission")
        verbose_name_plural = _("submissions to the commission")
        indexes = [
            # The cases awaiting the commission and the deadline lists:
            #   ... WHERE institution_id IN (...) ORDER BY due_on
            models.Index(fields=["institution", "due_on"], name="commission_sub_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.submitted_on}"


class Meeting(models.Model):
    """A meeting of a provider's specialist commission."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="commission_meetings",
    )
    held_on = models.DateField(_("meeting date"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("commission meeting")
        verbose_name_plural = _("commission meetings")

    def __str__(self) -> str:
        return f"{self.institution.code} {self.held_on}"


class Attendance(models.Model):
    """A member present at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="commission_attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}"


class AgendaItem(models.Model):
    """A submitted case on a meeting's agenda, with the decision taken on it, if any."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="agenda_items"
    )
    number = models.PositiveSmallIntegerField(_("agenda number"))
    decision = models.OneToOneField(
        "victims.IdentificationDecision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "submission"], name="commission_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}.{self.number}"


class Stance(models.TextChoices):
    RECOGNISE = "recognise", _("recognise as a victim")
    NOT_RECOGNISE = "not_recognise", _("not recognise")
    ABSTAIN = "abstain", _("abstain")


class Position(models.Model):
    """One member's position on one agenda case, with the reasons."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("position"), max_length=20, choices=Stance.choices)
    # May speak of the person: encrypted at rest, like the summary.
    reasons = EncryptedTextField(_("reasons"), blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="commission_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.member_id} {self.stance}"
