"""Record linkage: the privacy keys of each person and the review queue of possible
duplicates across institutions (docs/linkage.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.victims.models import Case, Person

KEY_LENGTH = 16


def _key() -> models.CharField:
    return models.CharField(max_length=KEY_LENGTH, null=True, blank=True)


class PersonKeys(models.Model):
    """The keyed hashes of a person's identity (thb/linkage/keys.py): no plain value."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    given = _key()
    surname = _key()
    given_fold = _key()
    surname_fold = _key()
    given_dm = _key()
    surname_dm = _key()
    given_pre = _key()
    surname_pre = _key()
    # Several keys, space-separated (keys.py: one letter left out in turn).
    given_del = models.TextField(null=True, blank=True)
    surname_del = models.TextField(null=True, blank=True)
    birth_date = _key()
    birth_month = _key()
    personal_code = _key()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"keys of person {self.person_id}"


class LinkRun(models.Model):
    """One `thb linkage run`: what it compared and found."""

    started_at = models.DateTimeField(auto_now_add=True)
    records = models.PositiveIntegerField(default=0)
    pairs_compared = models.PositiveBigIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    new_candidates = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    threshold = models.FloatField()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"linkage run {self.started_at:%Y-%m-%d %H:%M}"


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("awaiting review")
    LINKED = "linked", _("linked: counted once")
    REJECTED = "rejected", _("rejected: different persons")


class LinkCandidate(models.Model):
    """A possible duplicate: two cases of (possibly) one person at two institutions.
    Side a is the case with the lower id. Linked when both owners confirm."""

    case_a = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    case_b = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("match probability"))
    matched = models.JSONField(_("matching fields"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    run = models.ForeignKey(LinkRun, on_delete=models.SET_NULL, null=True, related_name="+")
    found_at = models.DateTimeField(auto_now_add=True)
    confirmed_a_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_a_at = models.DateTimeField(null=True)
    confirmed_b_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_b_at = models.DateTimeField(null=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case_a", "case_b"], name="link_candidate_once"),
        ]
        indexes = [models.Index(fields=["status", "closed_at"], name="link_candidate_status_idx")]

    def __str__(self) -> str:
        return f"link candidate {self.pk}"
