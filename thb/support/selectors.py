"""Reads of support. Plans and service logs are opened through `plan_get_for_user`
(caseworkers of the owning institution; 404 for anyone else; every read audited).
Funding and compensation statistics are aggregates without identities."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404, HttpRequest

from thb.accounts.models import Institution, InstitutionKind, User
from thb.audit.models import Action
from thb.audit.services import audit_read, audit_record
from thb.core.aggregates import Year
from thb.core.paging import Page, keyset_page
from thb.lib.decimals import quantize
from thb.profiles import get_profile
from thb.support import policy, rules
from thb.support.models import (
    FundingContract,
    OtherEligibleCost,
    RehabilitationPlan,
    ServiceDelivery,
    StateCompensation,
)
from thb.victims.models import Case, CaseStatus
from thb.victims.selectors import case_get_for_user

ZERO = Decimal("0.00")


def plan_get_for_user(
    *, actor: User, code: str, request: HttpRequest | None = None, purpose: str = "support_plan"
) -> tuple[Case, RehabilitationPlan | None]:
    """The one way to open a case's plan and service log: only the caseworkers of the
    owning institution; 404 for everyone else. The case read and the plan read are
    both audited."""
    if not policy.can_see_plans(actor):
        raise Http404
    case = case_get_for_user(actor=actor, code=code, request=request, purpose=purpose)
    if not policy.can_edit_plan(actor, case):
        raise Http404
    plan = (
        RehabilitationPlan.objects.filter(case=case)
        .prefetch_related(
            "planned_services",
            # The service log shows each delivery's provider: one query, not one each.
            Prefetch("deliveries", queryset=ServiceDelivery.objects.select_related("provider")),
        )
        .first()
    )
    if plan is not None:
        audit_read(actor=actor, target=plan, request=request, purpose=purpose, code=code)
    return case, plan


# The plans list's order: the latest recognised first, the id breaking ties (keyset
# paging, thb/core/paging.py; a recognised case has its decision's date).
PLAN_CASE_ORDER = ("-decided_on", "-id")


def _plan_cases(actor: User) -> QuerySet[Case]:
    scope = policy.plan_scope(actor)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(
        scope, status=CaseStatus.RECOGNISED, decided_on__isnull=False
    ).select_related("person", "support_plan")


def plan_case_page(
    *, actor: User, cursor: str | None = None
) -> tuple[list[tuple[Case, RehabilitationPlan | None]], Page[Case]]:
    """One page of the owning institution's recognised victims and their plans
    (caseworkers only); ValueError: not a cursor."""
    page = keyset_page(_plan_cases(actor), order=PLAN_CASE_ORDER, cursor=cursor)
    return [(case, getattr(case, "support_plan", None)) for case in page.items], page


@dataclass
class PlanTotals:
    """Running totals of one plan against the limits of the profile."""

    course_days: int
    course_max_days: int
    course_last_day: date
    course_services: int = 0
    course_hours: Decimal = ZERO
    after_course_used: int = 0
    after_course_limit: int = 0
    after_course_until: date | None = None
    criminal_hours_by_year: dict[int, Decimal] = field(default_factory=dict)
    criminal_hours_limit: int = 0
    cost_total: Decimal = ZERO
    hours_total: Decimal = ZERO
    cost_by_year: dict[int, Decimal] = field(default_factory=dict)
    cost_by_service: dict[str, Decimal] = field(default_factory=dict)
    flagged: int = 0

    @property
    def course_over(self) -> bool:
        return self.course_days > self.course_max_days

    @property
    def after_course_over(self) -> bool:
        return self.after_course_used > self.after_course_limit

    @property
    def criminal_rows(self) -> list[tuple[int, Decimal, bool]]:
        return [
            (year, hours, hours > self.criminal_hours_limit)
            for year, hours in sorted(self.criminal_hours_by_year.items())
        ]


def plan_totals(plan: RehabilitationPlan) -> PlanTotals:
    section = get_profile().support
    limits = section.limits
    totals = PlanTotals(
        course_days=plan.duration_days,
        course_max_days=limits.course_max_days,
        course_last_day=rules.course_last_day(section, plan.starts_on),
        after_course_limit=limits.after_course_consultations,
        after_course_until=rules.after_course_until(section, plan.ends_on),
        criminal_hours_limit=limits.criminal_proceedings_hours_per_year,
    )
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_service: dict[str, Decimal] = defaultdict(lambda: ZERO)
    criminal: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for d in plan.deliveries.all():
        totals.cost_total += d.cost_eur
        totals.hours_total += d.hours
        by_year[d.delivered_on.year] += d.cost_eur
        by_service[d.service] += d.cost_eur
        totals.flagged += bool(d.limit_flags)
        if section.service(d.service).category == "criminal_proceedings":
            criminal[d.delivered_on.year] += d.hours
        elif d.delivered_on > plan.ends_on:
            totals.after_course_used += 1
        else:
            totals.course_services += 1
            totals.course_hours += d.hours
    totals.cost_by_year = dict(sorted(by_year.items()))
    totals.cost_by_service = dict(by_service)
    totals.criminal_hours_by_year = dict(criminal)
    return totals


def flagged_deliveries(*, actor: User) -> QuerySet[ServiceDelivery]:
    """Services logged beyond a limit, for the caseworkers of the owning institution."""
    scope = policy.funding_scope(actor) if policy.can_see_plans(actor) else None
    if scope is None:
        return ServiceDelivery.objects.none()
    return (
        ServiceDelivery.objects.filter(scope)
        .exclude(limit_flags=[])
        .select_related("plan__case__person")
        .order_by("-delivered_on", "-id")
    )


def limit_flag_counts(*, actor: User, year: int) -> dict[str, int]:
    """How many services and plans went beyond each limit in the year: counts only, for
    the coordinator and the funder (a provider's caseworkers: their own)."""
    scope = policy.funding_scope(actor)
    plan_scope = policy.funding_scope(actor, "case__institution_id")
    if scope is None or plan_scope is None:
        return {}
    deliveries = ServiceDelivery.objects.filter(scope, delivered_on__year=year).exclude(
        limit_flags=[]
    )
    plans = RehabilitationPlan.objects.filter(plan_scope, starts_on__year=year).exclude(
        limit_flags=[]
    )
    counts: Counter[str] = Counter()
    for flags in deliveries.values_list("limit_flags", flat=True):
        counts.update(flags)
    for flags in plans.values_list("limit_flags", flat=True):
        counts.update(f"plan.{flag}" for flag in flags)
    return dict(sorted(counts.items()))


# Funding: planned (contracts) against spent (services delivered + other eligible costs).


@dataclass
class FundingRow:
    provider: Institution | None  # None: the total line
    planned: Decimal = ZERO
    services: Decimal = ZERO
    other: Decimal = ZERO
    service_count: int = 0
    clients: int = 0
    planned_next_year: Decimal = ZERO

    @property
    def spent(self) -> Decimal:
        return self.services + self.other

    @property
    def difference(self) -> Decimal:
        """Positive: overspent; negative: underspent."""
        return self.spent - self.planned

    @property
    def spent_percent(self) -> Decimal | None:
        if not self.planned:
            return None
        return quantize(self.spent * 100 / self.planned, Decimal("0.1"))


def _sum(queryset: QuerySet[Any], field_name: str, group: str) -> dict[Any, Decimal]:
    rows = queryset.values(group).annotate(total=Sum(field_name))
    return {row[group]: row["total"] or ZERO for row in rows}


def funding_totals(years: Iterable[int]) -> dict[int, FundingRow]:
    """The total line of funding_rows for each year, for all the years in one pass (one
    grouped query per source): what the report's funding figures read."""
    years = sorted(set(years))
    totals = {year: FundingRow(provider=None) for year in years}
    cents = Decimal("0.01")  # the amounts' decimal places: SQLite sums them as floats
    if not years:
        return totals
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    contracts = (
        FundingContract.objects.filter(year__gte=years[0], year__lte=years[-1] + 1)
        .order_by()
        .values("year")
        .annotate(total=Sum("planned_eur"))
    )
    for row in contracts:
        if row["year"] in totals:
            totals[row["year"]].planned = quantize(row["total"] or ZERO, cents)
        if row["year"] - 1 in totals:
            totals[row["year"] - 1].planned_next_year = quantize(row["total"] or ZERO, cents)
    costs = (
        (
            ServiceDelivery.objects.filter(delivered_on__gte=first, delivered_on__lte=last),
            "delivered_on",
            "cost_eur",
            "services",
        ),
        (
            OtherEligibleCost.objects.filter(incurred_on__gte=first, incurred_on__lte=last),
            "incurred_on",
            "amount_eur",
            "other",
        ),
    )
    for queryset, day, amount, name in costs:
        by_year = queryset.order_by().values_list(Year(day)).annotate(total=Sum(amount))
        for cost_year, total in by_year:
            if cost_year in totals:
                setattr(totals[cost_year], name, quantize(total or ZERO, cents))
    return totals


def funding_rows(*, year: int, provider_ids: list[int] | None = None) -> list[FundingRow]:
    """Per provider, then the total line last. Aggregates only, no identities."""
    contracts = FundingContract.objects.filter(year=year)
    next_contracts = FundingContract.objects.filter(year=year + 1)
    deliveries = ServiceDelivery.objects.filter(delivered_on__year=year)
    others = OtherEligibleCost.objects.filter(incurred_on__year=year)
    if provider_ids is not None:
        contracts = contracts.filter(provider_id__in=provider_ids)
        next_contracts = next_contracts.filter(provider_id__in=provider_ids)
        deliveries = deliveries.filter(provider_id__in=provider_ids)
        others = others.filter(provider_id__in=provider_ids)
    planned = _sum(contracts, "planned_eur", "provider_id")
    planned_next = _sum(next_contracts, "planned_eur", "provider_id")
    services = _sum(deliveries, "cost_eur", "provider_id")
    other = _sum(others, "amount_eur", "provider_id")
    counts = {
        row["provider_id"]: (row["n"], row["clients"])
        for row in deliveries.values("provider_id").annotate(
            n=Count("id"), clients=Count("plan__case", distinct=True)
        )
    }
    ids = set(planned) | set(planned_next) | set(services) | set(other)
    providers = Institution.objects.in_bulk(ids)
    rows = []
    total = FundingRow(provider=None)
    for pid in sorted(ids, key=lambda i: providers[i].name):
        row = FundingRow(
            provider=providers[pid],
            planned=planned.get(pid, ZERO),
            services=services.get(pid, ZERO),
            other=other.get(pid, ZERO),
            service_count=counts.get(pid, (0, 0))[0],
            clients=counts.get(pid, (0, 0))[1],
            planned_next_year=planned_next.get(pid, ZERO),
        )
        rows.append(row)
        for name in (
            "planned",
            "services",
            "other",
            "service_count",
            "clients",
            "planned_next_year",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    rows.append(total)
    return rows


def funding_for_user(*, actor: User, year: int) -> list[FundingRow]:
    """What the actor may see of the year's funding: all providers for the coordinator
    and the funder, its own for a provider's caseworker; nothing for others."""
    scope = policy.funding_scope(actor, "pk")
    if scope is None:
        return []
    if scope == Q():  # every provider, and the total
        return funding_rows(year=year)
    return funding_rows(
        year=year, provider_ids=list(Institution.objects.filter(scope).values_list("pk", flat=True))
    )


def funding_years() -> list[int]:
    years = set(FundingContract.objects.values_list("year", flat=True))
    years |= {d.year for d in ServiceDelivery.objects.dates("delivered_on", "year")}
    years |= {d.year for d in OtherEligibleCost.objects.dates("incurred_on", "year")}
    return sorted(years, reverse=True)


def service_providers() -> QuerySet[Institution]:
    return Institution.objects.filter(kind=InstitutionKind.SERVICE_PROVIDER, active=True)


def other_costs_for_user(*, actor: User, year: int) -> QuerySet[OtherEligibleCost]:
    scope = policy.funding_scope(actor)
    if scope is None:
        return OtherEligibleCost.objects.none()
    return OtherEligibleCost.objects.filter(scope, incurred_on__year=year).select_related(
        "provider"
    )


def service_totals_by_category(*, actor: User, year: int) -> dict[str, Decimal]:
    """Cost of delivered services by service code in the year (aggregate)."""
    scope = policy.funding_scope(actor)
    if scope is None:
        return {}
    return _sum(
        ServiceDelivery.objects.filter(scope, delivered_on__year=year), "cost_eur", "service"
    )


# State compensation.


def compensation_case_lookup(
    *, actor: User, code: str, request: HttpRequest | None = None
) -> Case | None:
    """The legal aid body finds the victim by the exact case code the applicant gives,
    never by browsing or by name. Only recognised victims are found; an unknown and an
    ineligible code look the same, and every attempt is audited."""
    if not policy.is_compensation_payer(actor):
        raise Http404
    code = code.strip().upper()
    case = (
        Case.objects.filter(person__code=code, status=CaseStatus.RECOGNISED)
        .select_related("person")
        .first()
    )
    if case is None:
        audit_record(
            actor=actor,
            action=Action.DENIED,
            object_type="victims.case",
            details={"purpose": "compensation_lookup", "code": code},
            request=request,
        )
        return None
    audit_read(actor=actor, target=case, request=request, purpose="compensation", code=code)
    return case


def compensation_list(*, actor: User, year: int | None = None) -> QuerySet[StateCompensation]:
    """Payments the actor may list: the payer's own records; a case's owning
    caseworkers see theirs on the plan page (compensation_for_case)."""
    scope = policy.compensation_scope(actor)
    if scope is None:
        return StateCompensation.objects.none()
    payments = StateCompensation.objects.filter(scope).select_related("case__person")
    if year:
        payments = payments.filter(paid_on__year=year)
    return payments.order_by("-paid_on", "-id")


def compensation_for_case(*, actor: User, case: Case) -> QuerySet[StateCompensation]:
    if not policy.can_edit_plan(actor, case):
        return StateCompensation.objects.none()
    return case.state_compensations.all()


@dataclass
class CompensationStatistics:
    persons: int
    payments: int
    total: Decimal

    @property
    def amount_per_person(self) -> Decimal:
        """The mean paid per person in the year: when all persons got the same amount
        (as in 2020), that amount."""
        if not self.persons:
            return ZERO
        return quantize(self.total / self.persons, Decimal("0.01"))


def compensation_statistics(year: int) -> CompensationStatistics:
    row = StateCompensation.objects.filter(paid_on__year=year).aggregate(
        persons=Count("case", distinct=True), payments=Count("id"), total=Sum("amount_eur")
    )
    return CompensationStatistics(
        persons=row["persons"] or 0, payments=row["payments"] or 0, total=row["total"] or ZERO
    )


def compensation_statistics_for_user(*, actor: User, year: int) -> CompensationStatistics | None:
    if policy.sees_all_funding(actor) or policy.is_compensation_payer(actor):
        return compensation_statistics(year)
    return None


def plans_in_year_count(year: int) -> int:
    return RehabilitationPlan.objects.filter(
        Q(starts_on__year__lte=year) & Q(ends_on__year__gte=year)
    ).count()


# The dashboard: the caseworkers' plans nearing the limits of the profile.

# "Nearing" a limit: this share of it used (a choice of the dashboard, not a rule of law).
NEAR_SHARE = Decimal("0.8")
NEAR_LIMITS = ("beyond_limit", "course_ending", "after_course", "criminal_hours")


def plans_near_limits(*, actor: User, today: date) -> dict[str, int]:
    """How many of the actor's institution's plans still running (in their course or
    its after-course window) are beyond a limit already (flagged with a reason) or
    near one: a course in its last fifth of the profile's maximum
    days, after-course consultations or this year's hours of support in criminal
    proceedings at 80 % of the limit. One count query a limit; {} for non-caseworkers."""
    scope = policy.plan_scope(actor)
    if scope is None:
        return {}
    section = get_profile().support
    limits = section.limits
    criminal = [s.code for s in section.services if s.category == "criminal_proceedings"]
    near_course_start = today - timedelta(days=int(limits.course_max_days * NEAR_SHARE))
    window_start = rules.add_years(today, -limits.after_course_years)
    deliveries = ServiceDelivery.objects.filter(plan=OuterRef("pk")).order_by()

    def per_plan(queryset: QuerySet[ServiceDelivery], total: Any) -> Subquery:
        return Subquery(queryset.values("plan").annotate(total=total).values("total")[:1])

    # The plans still running: in their course, or within the after-course window.
    plans = RehabilitationPlan.objects.filter(
        case__in=Case.objects.filter(scope), starts_on__lte=today, ends_on__gte=window_start
    ).annotate(
        flagged=Exists(deliveries.exclude(limit_flags=[])),
        after_course=per_plan(
            deliveries.filter(delivered_on__gt=OuterRef("ends_on")).exclude(service__in=criminal),
            Count("id"),
        ),
        criminal_hours=per_plan(
            deliveries.filter(service__in=criminal, delivered_on__year=today.year),
            Sum("hours"),
        ),
    )
    # One count per limit (aggregating over the subquery annotations in one query
    # loses them: Django prunes them from the inner query).
    filters = {
        "beyond_limit": ~Q(limit_flags=[]) | Q(flagged=True),
        "course_ending": Q(starts_on__lte=near_course_start, ends_on__gte=today),
        "after_course": Q(
            ends_on__lt=today,
            ends_on__gte=window_start,
            after_course__gte=int(limits.after_course_consultations * NEAR_SHARE),
        ),
        "criminal_hours": Q(
            criminal_hours__gte=limits.criminal_proceedings_hours_per_year * NEAR_SHARE
        ),
    }
    return {name: plans.filter(filters[name]).count() for name in NEAR_LIMITS}
