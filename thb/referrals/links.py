"""What the referrals app adds to a case page: the link to the referral the case came
from (for those the referral policy lets see it, i.e. the provider's caseworkers), and
the label of its timeline event."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import User
from thb.referrals.models import Referral
from thb.referrals.policy import ReferralPolicy
from thb.victims.models import Case

EVENT_LABELS = {"referrals.accepted": gettext_lazy("Referral accepted")}


def case_links(*, actor: User, case: Case) -> list[dict[str, str]]:
    referral = Referral.objects.filter(case=case).first()
    if referral is None or not ReferralPolicy(actor, referral).can_view:
        return []
    return [
        {
            "url": reverse("referrals:detail", args=[referral.reference]),
            "label": _("Referral %(reference)s") % {"reference": referral.reference},
        }
    ]
