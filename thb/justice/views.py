"""Justice pages: the proceedings of the user's institution (police, prosecutor, court),
a proceeding with its parties, stages and judgments, forms to add each, non-punishment
decisions, and the statistics page for the coordinator. Everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Institution, User
from thb.core.forms import add_service_errors, year_param
from thb.core.languages import current_language
from thb.core.paging import bounded_count, request_page
from thb.justice import policy, selectors, services
from thb.justice.dashboard import stage_label
from thb.justice.forms import (
    InjuredPartyForm,
    JudgmentForm,
    NonPunishmentForm,
    ProceedingForm,
    PropertyArrestForm,
    StageForm,
    SuspectForm,
    section_choices,
)
from thb.justice.models import Proceeding
from thb.justice.policy import can_use_justice, is_justice_user
from thb.profiles import get_profile

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def justice_view(*, write: bool = False) -> Callable[[View], View]:
    """Signed-in users who work with proceedings pass; for everyone else the pages do
    not exist (404). Writes are for the police, prosecutors and courts only."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = _user(request)
            allowed = is_justice_user(user) if write else can_use_justice(user)
            if not allowed:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _institution_choices() -> list[tuple[str, str]]:
    language = current_language()
    kinds = [*get_profile().justice.reporter_institution_kinds, "border_guard"]
    return [
        (i.code, i.display_name(language))
        for i in Institution.objects.filter(kind__in=kinds).order_by("name")
    ]


@justice_view()
def proceeding_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = year_param(request)
    section = request.GET.get("section", "")
    institution = request.GET.get("institution", "")
    stage = request.GET.get("stage", "")  # the dashboard's links: proceedings at a stage
    proceedings = selectors.proceeding_list(
        actor=user, year=year, section=section, institution=institution, stage=stage
    )
    page = request_page(request, proceedings, order=selectors.PROCEEDING_ORDER)
    return render(
        request,
        "justice/proceeding_list.html",
        {
            "proceedings": page.items,
            "pager": page.links(request),
            # At most THB_LIST_COUNT_MAX proceedings counted, then "more than".
            "total": bounded_count(proceedings),
            "year": year or "",
            "section": section,
            "institution": institution,
            "stage": stage,
            "stage_label": stage_label(stage) if stage else "",
            "sections": section_choices(),
            "institutions": _institution_choices(),
            "can_write": is_justice_user(user),
        },
    )


@justice_view(write=True)
def proceeding_create(request: HttpRequest) -> HttpResponse:
    form = ProceedingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proceeding = services.proceeding_create(
                actor=_user(request), data=services.ProceedingData(**form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Proceeding recorded."))
            return redirect("justice:proceeding_detail", pk=proceeding.pk)
    return render(
        request,
        "justice/form.html",
        {"form": form, "title": _("New criminal proceeding"), "back": "justice:proceeding_list"},
    )


def _labels(codes: list[str]) -> list[str]:
    profile = get_profile()
    language = current_language()
    return [profile.legal_section(code).label.get(language) for code in codes]


@justice_view()
def proceeding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = selectors.proceeding_get_for_user(actor=user, pk=pk, request=request)
    profile = get_profile()
    language = current_language()
    parties = selectors.injured_parties_for_user(actor=user, proceeding=proceeding, request=request)
    property_labels = {k.code: k.label.get(language) for k in profile.justice.property_kinds}
    return render(
        request,
        "justice/proceeding_detail.html",
        {
            "proceeding": proceeding,
            "section_labels": _labels(proceeding.section_codes),
            "form_label": profile.label(
                "exploitation_forms", proceeding.exploitation_form, language
            )
            if proceeding.exploitation_form
            else "",
            "sector_label": profile.label("labour_sectors", proceeding.sector, language)
            if proceeding.sector
            else "",
            "parties": parties,
            "summary": selectors.injured_summary(parties),
            "show_codes": policy.shows_victim_codes(user),
            "property_labels": property_labels,
            "can_write": is_justice_user(user),
        },
    )


@justice_view(write=True)
def proceeding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proceeding = selectors.proceeding_get_for_user(
        actor=user, pk=pk, request=request, purpose="edit"
    )
    initial = {
        "number": proceeding.number,
        "sections": proceeding.section_codes,
        "started_on": proceeding.started_on,
        "exploitation_form": proceeding.exploitation_form,
        "sector": proceeding.sector,
        "notes": proceeding.notes,
    }
    form = ProceedingForm(request.POST or None, initial=initial, existing=proceeding)
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_update(
                actor=user, proceeding=proceeding, data=services.ProceedingData(**form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Proceeding updated."))
            return redirect("justice:proceeding_detail", pk=proceeding.pk)
    return _form_page(request, form, proceeding, _("Edit the proceeding"))


def _form_page(
    request: HttpRequest, form: Form, proceeding: Proceeding, title: str
) -> HttpResponse:
    return render(
        request, "justice/form.html", {"form": form, "proceeding": proceeding, "title": title}
    )


def _child_view(
    form_class: Callable[..., Form],
    title: str | Promise,
    save: Callable[[User, Proceeding, dict[str, Any]], object],
    form_kwargs: Callable[[Proceeding], dict[str, Any]] | None = None,
) -> View:
    """A form page that adds one record to a proceeding through a service."""

    @justice_view(write=True)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        proceeding = selectors.proceeding_get_for_user(
            actor=user, pk=pk, request=request, purpose="edit"
        )
        extra = form_kwargs(proceeding) if form_kwargs else {}
        form = form_class(request.POST or None, **extra)
        if request.method == "POST" and form.is_valid():
            try:
                save(user, proceeding, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("justice:proceeding_detail", pk=proceeding.pk)
        return _form_page(request, form, proceeding, str(title))

    return view


def _save_injured(user: User, proceeding: Proceeding, data: dict[str, Any]) -> object:
    case = None
    if data["case_code"].strip():
        case = selectors.case_for_linking(actor=user, proceeding=proceeding, code=data["case_code"])
    return services.injured_party_add(
        actor=user,
        proceeding=proceeding,
        data=services.InjuredPartyData(
            recognised_on=data["recognised_on"],
            case=case,
            sex=data["sex"],
            minor=data["minor"],
            citizenship=data["citizenship"],
        ),
    )


def _save_suspect(user: User, proceeding: Proceeding, data: dict[str, Any]) -> object:
    return services.suspect_save(
        actor=user, proceeding=proceeding, data=services.SuspectData(**data)
    )


def _save_property(user: User, proceeding: Proceeding, data: dict[str, Any]) -> object:
    return services.property_arrest_save(
        actor=user, proceeding=proceeding, data=services.PropertyArrestData(**data)
    )


def _save_stage(user: User, proceeding: Proceeding, data: dict[str, Any]) -> object:
    return services.stage_add(
        actor=user,
        proceeding=proceeding,
        data=services.StageData(
            kind=data["kind"],
            on=data["on"],
            institution=data["institution"],
            persons=list(data["persons"]),
        ),
    )


def _save_judgment(user: User, proceeding: Proceeding, data: dict[str, Any]) -> object:
    return services.judgment_person_record(
        actor=user,
        proceeding=proceeding,
        level=data["level"],
        delivered_on=data["delivered_on"],
        suspect=data["suspect"],
        court=data["court"],
        sentence=services.SentenceData(
            outcome=data["outcome"],
            section=data["section"],
            deprivation_months=data["deprivation_months"],
            deprivation_conditional=data["deprivation_conditional"],
            probation_months=data["probation_months"],
            fine_eur=data["fine_eur"],
        ),
    )


injured_party_add = _child_view(
    InjuredPartyForm, gettext_lazy("Add an injured party"), _save_injured
)
suspect_add = _child_view(SuspectForm, gettext_lazy("Add a suspect or accused"), _save_suspect)
property_add = _child_view(
    PropertyArrestForm, gettext_lazy("Add arrested property"), _save_property
)
stage_add = _child_view(
    StageForm,
    gettext_lazy("Add a stage"),
    _save_stage,
    lambda p: {"suspects": selectors.proceeding_suspects(p)},
)
judgment_add = _child_view(
    JudgmentForm,
    gettext_lazy("Add a judgment for a person"),
    _save_judgment,
    lambda p: {"suspects": selectors.proceeding_suspects(p), "sections": p.section_codes},
)


@justice_view()
def non_punishment_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = year_param(request)
    language = current_language()
    profile = get_profile()
    decisions = [
        (d, profile.legal_section(d.legal_basis).label.get(language))
        for d in selectors.non_punishment_list(actor=user, year=year)
    ]
    return render(
        request,
        "justice/non_punishment_list.html",
        {"decisions": decisions, "year": year or "", "can_write": is_justice_user(user)},
    )


@justice_view(write=True)
def non_punishment_create(request: HttpRequest) -> HttpResponse:
    form = NonPunishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.non_punishment_save(
                actor=_user(request), data=services.NonPunishmentData(**form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("justice:non_punishment_list")
    return render(
        request,
        "justice/form.html",
        {
            "form": form,
            "title": _("New non-punishment decision"),
            "back": "justice:non_punishment_list",
        },
    )
