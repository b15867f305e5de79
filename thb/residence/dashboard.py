"""Deadlines on the home page of those who answer for them (caseworkers, process
directors; the migration office's requests waiting for a permit): how many are
overdue and how many fall due within the week, linking to the deadlines page.
Deadlines other apps declare (register_deadlines, e.g. referrals to acknowledge) are
counted with them, as the deadlines page lists them."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.charts import Bar, BarChart, Section
from thb.core.formats import day
from thb.core.registry import deadline_items
from thb.residence import policy
from thb.residence.selectors import deadline_counts, deadline_horizon, permit_requests_pending


def sections(*, actor: User, today: date) -> list[Section]:
    if not policy.can_see_deadlines(actor):
        return []
    overdue, due_soon = deadline_counts(actor=actor, today=today)
    horizon = deadline_horizon(today)
    for item in deadline_items(actor=actor, today=today, horizon=horizon):
        if item.due_on < today:
            overdue += 1
        else:
            due_soon += 1
    url = reverse("residence:deadlines")
    bars = [
        Bar(_("Overdue"), overdue, url=url),
        Bar(
            _("Due by %(date)s") % {"date": day(horizon)},
            due_soon,
            url=url,
        ),
    ]
    if policy.is_migration_office(actor):
        bars.append(
            Bar(_("Permit requests waiting"), permit_requests_pending(actor=actor).count(), url)
        )
    return [
        Section(
            key="deadlines",
            title=_("Deadlines this week"),
            charts=[
                BarChart(
                    "deadlines", _("Open deadlines"), _("Deadlines"), bars, label_header=_("When")
                )
            ],
            links=[(url, _("Deadlines"))],
        )
    ]
