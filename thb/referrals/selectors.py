"""Reads of referrals and anonymous notifications, scoped through the policy: each
side sees its institution's, nobody else anything. Opening a referral is audited."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.services import audit_read
from thb.core.languages import current_language
from thb.core.registry import DeadlineItem
from thb.profiles import get_profile
from thb.referrals import policy
from thb.referrals.models import OPEN_STATUSES, AnonymousNotification, Referral
from thb.screening.selectors import ScreeningView, screening_view

# The lists' orders (newest first), ending in the primary key for keyset paging.
REFERRAL_ORDER = ("-sent_at", "-id")
NOTIFICATION_ORDER = ("-notified_on", "-id")


def referral_list(*, actor: User, status: str = "") -> QuerySet[Referral]:
    scope = policy.scope(actor)
    if scope is None:
        return Referral.objects.none()
    referrals = Referral.objects.filter(scope).select_related(
        "referring_institution", "provider", "referred_by"
    )
    if status:
        referrals = referrals.filter(status=status)
    return referrals.order_by(*REFERRAL_ORDER)


def referral_get_for_user(
    *, actor: User, reference: str, request: HttpRequest | None = None, purpose: str = "view"
) -> Referral:
    """The one way to open a referral: 404 outside the actor's scope; audited."""
    scope = policy.scope(actor)
    if scope is None:
        raise Http404
    try:
        referral = (
            Referral.objects.filter(scope)
            .select_related(
                "referring_institution", "provider", "referred_by", "case__person", "screening"
            )
            .get(reference=reference)
        )
    except Referral.DoesNotExist:
        raise Http404 from None
    audit_read(actor=actor, target=referral, request=request, purpose=purpose, reference=reference)
    return referral


def notification_list(*, actor: User) -> QuerySet[AnonymousNotification]:
    scope = policy.notification_scope(actor)
    if scope is None:
        return AnonymousNotification.objects.none()
    return (
        AnonymousNotification.objects.filter(scope)
        .select_related("screening")
        .order_by(*NOTIFICATION_ORDER)
    )


def overdue_acknowledgements(*, actor: User, today: date) -> QuerySet[Referral]:
    """The provider's referrals not acknowledged by their deadline."""
    return unacknowledged(actor=actor, due_by=today).filter(acknowledge_by__lt=today)


def unacknowledged(*, actor: User, due_by: date) -> QuerySet[Referral]:
    """The open referrals the actor's provider has not acknowledged, due by `due_by`."""
    if not policy.can_receive(actor):
        return Referral.objects.none()
    return Referral.objects.filter(
        provider_id=actor.institution_id,
        status__in=OPEN_STATUSES,
        acknowledged_at__isnull=True,
        acknowledge_by__lte=due_by,
    ).order_by("acknowledge_by", "id")


def referral_deadlines(*, actor: User, today: date, horizon: date) -> list[DeadlineItem]:
    """The deadlines page's rows for referrals (declared with register_deadlines): the
    acknowledgements the actor's provider owes, overdue or due by the horizon."""
    language = current_language()
    section = get_profile().referral
    return [
        DeadlineItem(
            what=_("Acknowledge the referral"),
            reference=referral.reference,
            url=reverse("referrals:detail", args=[referral.reference]),
            started_on=referral.sent_on,
            due_on=referral.acknowledge_by,
            basis=section.label("urgency_levels", referral.urgency, language),
        )
        for referral in unacknowledged(actor=actor, due_by=horizon)
    ]


def referral_screening(
    *, actor: User, referral: Referral, request: HttpRequest | None = None
) -> ScreeningView | None:
    """The referral's screening, for whoever may open the referral (the provider must
    see it before accepting, when it is not yet attached to a case). Once attached to
    the case it is the case's: shown through the screening policy (the referring
    institution then no longer sees it). The notes follow the referral's identity rule
    and are read through the screening's audited `notes_for` or, before attachment,
    audited here."""
    screening = referral.screening
    if screening is None or not policy.ReferralPolicy(actor, referral).can_view:
        return None
    if screening.case_id is not None:
        return screening_view(actor, screening, request)
    language = current_language()
    result = screening.result()
    *lines, conclusion = result.lines(language)
    notes: str | None = None
    if policy.ReferralPolicy(actor, referral).can_see_identity:
        notes = screening.notes
        if notes:
            audit_read(
                actor=actor,
                target=screening,
                request=request,
                purpose="screening_notes",
                reference=referral.reference,
            )
    return ScreeningView(
        screening=screening,
        result=result,
        list_label=result.list_label.get(language),
        dimension_lines=lines,
        conclusion=conclusion,
        notes=notes,
    )


def notification_conclusion(notification: AnonymousNotification) -> str:
    """The screening's conclusion of a notification (indicators only), for its list."""
    if notification.screening is None:
        return ""
    return notification.screening.result().lines(current_language())[-1]
