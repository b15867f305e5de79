"""E-mail reminders of legal deadlines: each responsible user gets the deadlines of
their institution and role that are overdue or fall due soon; the migration office
its requests awaiting a permit. Mail carries case codes only, never identities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import formats
from thb.core.registry import deadline_items
from thb.residence.policy import deadline_recipients, is_migration_office
from thb.residence.selectors import deadline_list, permit_requests_pending
from thb.residence.services import deadlines_open_for_new_victims
from thb.victims.models import Case


@dataclass
class NotifyResult:
    tracks_started: int
    mails: int
    users: list[str]


def _lines(user: User, today: date) -> tuple[list[str], set[str]]:
    """The mail's lines and the case codes they name."""
    language = settings.LANGUAGE_CODE
    view = deadline_list(actor=user, today=today)
    lines: list[str] = []
    codes: set[str] = set()
    for title, rows in ((_("Overdue"), view.overdue), (_("Due soon"), view.due_soon)):
        if rows:
            codes.update(d.track.case.person.code for d in rows)
            lines.append(f"{title}:")
            lines += [
                f"  {d.track.case.person.code}  {d.get_kind_display()}  "
                f"{_('due on')} {formats.day(d.due_on, language)}  ({d.legal_basis_in(language)})"
                for d in rows
            ]
    # Deadlines other apps declare (register_deadlines): references, never names.
    others = deadline_items(actor=user, today=today, horizon=view.horizon)
    if others:
        lines.append(_("Other deadlines") + ":")
        lines += [
            f"  {item.reference}  {item.what}  {_('due on')} {formats.day(item.due_on, language)}"
            + (f"  ({item.basis})" if item.basis else "")
            for item in others
        ]
    if is_migration_office(user):
        pending = list(permit_requests_pending(actor=user))
        if pending:
            codes.update(r.track.case.person.code for r in pending)
            lines.append(_("Permit requests awaiting a permit") + ":")
            lines += [
                f"  {r.track.case.person.code}  {r.get_kind_display()}  "
                f"{formats.day(r.requested_on, language)}"
                for r in pending
            ]
    return lines, codes


def _audit_mail(user: User, codes: set[str]) -> None:
    """The mail gives the user case codes: audited like a list of them (one event per
    mail, naming the codes, with the recipient as the actor)."""
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type=Case._meta.label_lower,
        details={"purpose": "deadline_mail", "codes": sorted(codes)},
    )


def deadlines_notify(*, today: date, dry_run: bool = False) -> NotifyResult:
    """Open deadlines for new victims, then mail each active user with an e-mail
    address whose institution and role have something due."""
    started = 0 if dry_run else deadlines_open_for_new_victims(today=today)
    recipients = (
        User.objects.filter(deadline_recipients()).exclude(email="").select_related("institution")
    )
    mailed: list[str] = []
    by_user: dict[int, list[str]] = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        for user in recipients:
            lines, codes = _lines(user, today)
            if not lines:
                continue
            by_user[user.pk] = lines
            if not dry_run:
                send_mail(
                    subject=_("THB: legal deadlines due"),
                    message="\n".join(lines) + "\n",
                    from_email=None,
                    recipient_list=[user.email],
                )
                _audit_mail(user, codes)
            mailed.append(user.get_username())
    return NotifyResult(tracks_started=started, mails=len(mailed), users=mailed)
