"""Pages: the upload page with templates, the user's imports and their progress, the
reporter's yearly submission, the coordinator's overview and review page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from thb.accounts.models import User
from thb.core.access import allowed_if
from thb.core.languages import current_language, language_name, languages
from thb.core.years import page_year, year_list
from thb.interop import policy, runner, selectors, services
from thb.interop.forms import ReviewForm, SubmissionTextsForm, UploadForm
from thb.interop.labels import column_label
from thb.interop.models import Submission
from thb.interop.registry import ImportType, import_types_for, registered
from thb.interop.templates_files import column_help, csv_template, xlsx_template

MAX_JOBS_LISTED = 100  # the newest; older uploads are in the audit log


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _type_for(request: HttpRequest, name: str) -> ImportType:
    for import_type in import_types_for(_user(request)):
        if import_type.name == name:
            return import_type
    raise Http404


# Import


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponseBase:
    actor = _user(request)
    types = import_types_for(actor)
    if not types:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, types=types)
    if request.method == "POST" and form.is_valid():
        import_type = _type_for(request, form.cleaned_data["import_type"])
        upload_file = form.cleaned_data["file"]
        # Every upload runs in the background (thb.interop.runner): the page follows
        # the job, and the user may leave and find the result under "My imports".
        job = services.import_job_create(
            actor=actor,
            import_type=import_type,
            file_name=upload_file.name,
            data=upload_file.read(),
            dry_run=form.cleaned_data["dry_run"],
            options=form.engine_options(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        runner.dispatch(job)
        return redirect("interop:job", pk=job.pk)
    described = [(t, [(c, column_label(c), column_help(c)) for c in t.columns]) for t in types]
    return render(request, "interop/upload.html", {"form": form, "types": described})


def _type_label(name: str) -> str:
    import_type = registered().get(name)
    return str(import_type.label) if import_type is not None else name


@allowed_if(policy.can_import_any)
def jobs(request: HttpRequest) -> HttpResponse:
    """My imports: the user's uploads, newest first, with their outcome."""
    rows = [
        (item, _type_label(item.import_type))
        for item in selectors.import_jobs_of_user(actor=_user(request))[:MAX_JOBS_LISTED]
    ]
    return render(request, "interop/import_jobs.html", {"rows": rows})


@allowed_if(policy.can_import_any)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """One upload: its progress while it runs (the page polls `job_status`, or reloads
    itself without JavaScript), then its result."""
    import_job = selectors.import_job_get_for_user(actor=_user(request), pk=pk)
    done, total = selectors.import_job_progress(import_job)
    context = {
        "job": import_job,
        "label": _type_label(import_job.import_type),
        "done": done,
        "total": total,
    }
    return render(request, "interop/import_job.html", context)


@allowed_if(policy.can_import_any)
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's state for the page's progress bar."""
    import_job = selectors.import_job_get_for_user(actor=_user(request), pk=pk)
    done, total = selectors.import_job_progress(import_job)
    return JsonResponse(
        {
            "id": import_job.pk,
            "status": import_job.status,
            "status_label": import_job.get_status_display(),
            "active": import_job.active,
            "done": done,
            "total": total,
            "outcome": import_job.result.get("outcome", ""),
        }
    )


@login_required
def template_csv(request: HttpRequest, name: str) -> HttpResponse:
    import_type = _type_for(request, name)
    response = HttpResponse(csv_template(import_type), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thb-{import_type.name}.csv"'
    return response


@login_required
def template_xlsx(request: HttpRequest, name: str) -> HttpResponse:
    import_type = _type_for(request, name)
    response = HttpResponse(
        xlsx_template(import_type),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="thb-{import_type.name}.xlsx"'
    return response


# Submissions


def _reporting_year() -> int:
    # Institutions report in the first months of the year on the year before.
    return timezone.localdate().year - 1


def _years(around: int | None = None) -> list[int]:
    """Every year with records, the reporting year and the year shown."""
    return year_list(_reporting_year(), around)


@allowed_if(policy.can_submit)
def my_submission_default(request: HttpRequest) -> HttpResponse:
    # The reporter writes the reporting year's submission (the year just ended).
    return redirect("interop:my_submission", year=_reporting_year())


@allowed_if(policy.can_submit)
@require_http_methods(["GET", "POST"])
def my_submission(request: HttpRequest, year: int) -> HttpResponse:
    actor = _user(request)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    submission = selectors.submission_of_institution(actor=actor, year=year)
    sections = selectors.report_sections(current_language())
    texts = (
        {section.section: section.texts for section in submission.sections.all()}
        if submission is not None
        else {}
    )
    editable = submission is None or submission.editable
    form = SubmissionTextsForm(
        request.POST if request.method == "POST" else None,
        texts=texts,
        sections=sections,
        submit=request.POST.get("action") == "submit",
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                submission = submission or services.submission_start(actor=actor, year=year)
                services.submission_save_texts(
                    actor=actor, submission=submission, texts=form.texts()
                )
                if request.POST.get("action") == "submit":
                    services.submission_submit(actor=actor, submission=submission)
                    messages.success(request, _("The submission was sent to the coordinator."))
                else:
                    messages.success(request, _("The texts were saved."))
                return redirect("interop:my_submission", year=year)
            except ValidationError as exc:
                form.apply_service_error(exc)
    assert actor.institution is not None
    context: dict[str, Any] = {
        "year": year,
        "years": _years(year),
        "submission": submission,
        "editable": editable,
        "form": form,
        "sections": _section_texts(submission, sections),
        "due": selectors.submission_due_date(year),
        "contributions": selectors.contributions(actor.institution, year),
        "can_import": bool(import_types_for(actor)),
    }
    return render(request, "interop/my_submission.html", context)


def _section_texts(
    submission: Submission | None, sections: list[tuple[str, str]]
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(label, [(language code, language's name, text)]) of the sections written so
    far: every language the institution wrote, in the profile's order (the reviewer
    reads each)."""
    if submission is None:
        return []
    texts = {s.section: s.texts for s in submission.sections.all()}
    return [
        (
            label,
            [
                (language, language_name(language), texts[code][language])
                for language in languages()
                if texts[code].get(language)
            ],
        )
        for code, label in sections
        if any(texts.get(code, {}).values())
    ]


@allowed_if(policy.can_review)
def overview(request: HttpRequest) -> HttpResponse:
    # The coordinator's overview opens on the latest year with records.
    year = page_year(request)
    rows = selectors.submission_overview(actor=_user(request), year=year)
    return render(
        request,
        "interop/overview.html",
        {
            "year": year,
            "years": _years(year),
            "rows": rows,
            "due": selectors.submission_due_date(year),
        },
    )


@allowed_if(policy.can_review)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    submission = selectors.submission_get_for_user(actor=actor, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        comment = form.cleaned_data["comment"]
        try:
            if action == "return":
                services.submission_return(actor=actor, submission=submission, comment=comment)
                messages.success(request, _("The submission was returned to the institution."))
            elif action == "accept":
                services.submission_accept(actor=actor, submission=submission)
                messages.success(request, _("The submission was accepted and is now locked."))
            elif action == "reopen":
                services.submission_reopen(actor=actor, submission=submission, reason=comment)
                messages.success(request, _("The submission was reopened."))
            else:
                raise Http404
            return redirect("interop:review", pk=submission.pk)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("comment", message)
    sections = selectors.report_sections(current_language())
    context = {
        "submission": submission,
        "form": form,
        "sections": _section_texts(submission, sections),
        "due": selectors.submission_due_date(submission.year),
        "late": selectors.is_late(submission, submission.year),
        "contributions": selectors.contributions(submission.institution, submission.year),
        "events": submission.events.select_related("actor"),
    }
    return render(request, "interop/review.html", context)
