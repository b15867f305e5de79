"""A structured screening of a presumed victim against one list of the ILO/EC
operational indicators (thb/profiles/<country>/screening.yaml)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.core.fields import EncryptedTextField

if TYPE_CHECKING:
    from thb.screening.evaluate import ScreeningResult


class Screening(models.Model):
    """The ticked indicators are kept as codes with the profile version they were
    ticked in, so an old screening is still explained with the lists and the rule of
    its own version after the commission amends them."""

    list_key = models.CharField(_("indicator list"), max_length=40)
    profile_version = models.CharField(_("version of the lists"), max_length=40)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    # Free text may identify the person: encrypted at rest, shown only to those who may
    # see the identity (thb/screening/policy.py).
    notes = EncryptedTextField(_("notes"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    screened_on = models.DateField(_("screened on"))
    created_at = models.DateTimeField(auto_now_add=True)
    case = models.ForeignKey(
        "victims.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
    )

    class Meta:
        ordering = ["screened_on", "id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.list_key} {self.screened_on}"

    def result(self) -> ScreeningResult:
        """The explained result, by the rule of the version it was recorded with."""
        from thb.screening.evaluate import evaluate

        return evaluate(self.list_key, self.indicators, version=self.profile_version)
