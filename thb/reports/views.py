"""Report pages: the statistics pages (views of the one renderer, one per topic), the
public edition, the annual report's download page, the chapter-text editor, freezing a
version, and the figure catalogue. Access rules: thb/reports/policy.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from thb.accounts.models import User
from thb.core.access import allowed_if
from thb.core.forms import add_service_errors, language_map_data, language_map_fields
from thb.core.languages import country_language, current_language, languages
from thb.core.params import YEAR_MAX, YEAR_MIN
from thb.core.years import page_year, year_list
from thb.profiles import get_profile
from thb.reports import editorial, selectors, services
from thb.reports.models import ChapterText, ReportVersion
from thb.reports.policy import can_edit_report, can_read_statistics

TOPIC_TITLES = {
    "victims": gettext_lazy("Victim statistics"),
    "support": gettext_lazy("Support and residence statistics"),
    "justice": gettext_lazy("Justice statistics"),
    "activities": gettext_lazy("Activity statistics"),
}


def _language_choices() -> list[tuple[str, str]]:
    """The profile's languages, each named in the page's language (Django's names)."""
    return [(code, str(get_language_info(code)["name_translated"])) for code in languages()]


EDITION_LABELS = {
    "internal": gettext_lazy("internal edition"),
    "public": gettext_lazy("public edition"),
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _language() -> str:
    """The report language of the page: its own if the profile has it, else the
    country's."""
    current = current_language()
    offered = languages()
    for code in (current, current.split("-")[0]):
        if code in offered:
            return code
    return country_language()


@allowed_if(can_read_statistics)
def statistics(request: HttpRequest, topic: str = "victims") -> HttpResponse:
    """The internal edition's chapters of a topic: victims, support, justice or
    activities (the chapters whose `topics` name it in the layout)."""
    if topic not in selectors.TOPICS:
        raise Http404
    year = page_year(request)
    document = selectors.statistics_document(
        actor=_user(request), year=year, language=_language(), topic=topic
    )
    return render(
        request,
        "reports/statistics.html",
        {
            "year": year,
            "years": year_list(year),
            "document": document,
            "topic": topic,
            "title": TOPIC_TITLES[topic],
            "topics": [(t, TOPIC_TITLES[t]) for t in selectors.TOPICS],
        },
    )


def public_statistics(request: HttpRequest) -> HttpResponse:
    """Published statistics: the public edition's tables, for anyone; small counts of
    persons suppressed over all tables together. Its files download below."""
    year = page_year(request)
    return render(
        request,
        "reports/public_statistics.html",
        {
            "year": year,
            "years": year_list(year),
            "document": selectors.public_document(year=year, language=_language()),
            "formats": selectors.FORMATS,
            "languages": _language_choices(),
        },
    )


class DownloadForm(forms.Form):
    # Any year may be asked for (a year without records gives zeros); the list offers
    # the years with records.
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX, widget=forms.Select
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=_language_choices)
    edition = forms.ChoiceField(label=gettext_lazy("Edition"), choices=list(EDITION_LABELS.items()))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(f, f.upper()) for f in selectors.FORMATS]
    )
    version = forms.IntegerField(
        label=gettext_lazy("Frozen version"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Empty: the current edition from the records."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shown = self.initial.get("year") or year_param_of(self.data)
        self.fields["year"].widget.choices = [(y, str(y)) for y in year_list(shown)]


def year_param_of(data: Any) -> int | None:
    try:
        return int(data.get("year", ""))
    except (TypeError, ValueError):
        return None


def _download(request: HttpRequest, form: DownloadForm) -> HttpResponse:
    data = form.cleaned_data
    version = None
    if data["version"]:
        version = ReportVersion.objects.filter(year=data["year"], number=data["version"]).first()
        if version is None:
            raise Http404
    actor = _user(request) if request.user.is_authenticated else None
    try:
        rendered = selectors.report_file_for(
            actor=actor,
            year=data["year"],
            language=data["language"],
            edition=data["edition"],
            fmt=data["format"],
            version=version,
            request=request,
        )
    except ValueError as exc:
        # A format this installation cannot produce.
        raise Http404(str(exc)) from exc
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def public_download(request: HttpRequest) -> HttpResponse:
    """The public edition's file in any format and language, for anyone."""
    form = DownloadForm({**request.GET.dict(), "edition": "public", "version": ""})
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    return _download(request, form)


@allowed_if(can_read_statistics)
def annual(request: HttpRequest) -> HttpResponse:
    """The annual report page: pick year, language, edition and format and download;
    the frozen versions of the year with their hashes and revision notes."""
    actor = _user(request)
    if "format" in request.GET:
        form = DownloadForm(request.GET)
        if form.is_valid():
            return _download(request, form)
        year = page_year(request)
    else:
        year = page_year(request)
        form = DownloadForm(
            initial={"year": year, "language": _language(), "edition": "internal", "format": "pdf"}
        )
    versions = selectors.versions_for(actor=actor, year=year)
    return render(
        request,
        "reports/annual.html",
        {
            "year": year,
            "years": year_list(year),
            "form": form,
            "versions": versions,
            "closed": selectors.closed_version_for(actor=actor, year=year),
            "can_edit": can_edit_report(actor),
        },
    )


class ChapterTextForm(forms.Form):
    chapter = forms.CharField(widget=forms.HiddenInput)
    slot = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, texts: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One text per profile language (ChapterText.texts): `texts_<code>`.
        language_map_fields(
            self, "texts", gettext_lazy("Text"), kind="chapter", textarea=True, initial=texts
        )


@login_required
@require_http_methods(["GET", "POST"])
def chapter_texts(request: HttpRequest) -> HttpResponse:
    """The coordinator edits each chapter's text in each of the profile's languages;
    the draft compiled from the accepted submissions is shown beside it."""
    actor = _user(request)
    if not can_edit_report(actor):
        raise PermissionDenied
    year = page_year(request)
    failed: ChapterTextForm | None = None
    if request.method == "POST":
        form = ChapterTextForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.chapter_text_save(
                    actor=actor,
                    year=year,
                    chapter=data["chapter"],
                    slot=data["slot"],
                    texts=language_map_data(data, "texts"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The chapter text was saved."))
                return redirect(
                    f"{reverse('reports:chapter_texts')}?year={year}#text-{data['chapter']}-{data['slot']}"
                )
        failed = form
    edited = {(t.chapter, t.slot): t for t in ChapterText.objects.filter(year=year)}
    # The chapter texts are kept in each of the profile's languages (ChapterText).
    drafts = {language: editorial.drafts(year, language) for language in languages()}
    profile = get_profile()
    rows = []
    for chapter_id, slot in editorial.slots():
        text = edited.get((chapter_id, slot))
        key = f"{chapter_id}.{slot}"
        if (
            failed is not None
            and failed.data.get("chapter") == chapter_id
            and failed.data.get("slot") == slot
        ):
            form = failed
        else:
            form = ChapterTextForm(
                initial={"chapter": chapter_id, "slot": slot},
                texts=text.texts if text else None,
                # Several forms on one page: unique element ids, the same field names.
                auto_id=f"id_{chapter_id}-{slot}-%s",
            )
        slot_drafts = [found for by_key in drafts.values() if (found := by_key.get(key))]
        rows.append(
            {
                "chapter": chapter_id,
                "slot": slot,
                "title": profile.chapter(chapter_id).title.get(_language()),
                "form": form,
                "text": text,
                "drafts": slot_drafts,
                "has_draft": any(d.paragraphs for d in slot_drafts),
            }
        )
    shown = any(row["form"] is failed for row in rows)
    return render(
        request,
        "reports/chapter_texts.html",
        {
            "year": year,
            "years": year_list(year),
            "rows": rows,
            # A form for no slot of the layout: its errors above the list.
            "errors": failed.errors if failed is not None and not shown else None,
        },
    )


@require_POST
@login_required
def freeze(request: HttpRequest) -> HttpResponse:
    """Mark the year's report final: freeze the next version."""
    actor = _user(request)
    if not can_edit_report(actor):
        raise PermissionDenied
    try:
        year = int(request.POST.get("year", ""))
        version = services.report_version_freeze(actor=actor, year=year)
    except (ValueError, ValidationError):
        messages.error(
            request,
            _("Give a year from %(earliest)s to %(latest)s.")
            % {"earliest": YEAR_MIN, "latest": YEAR_MAX},
        )
        return redirect("reports:annual")
    messages.success(
        request,
        _("Version %(number)s of the %(year)s report is frozen.")
        % {"number": version.number, "year": year},
    )
    return redirect(f"{reverse('reports:annual')}?year={year}")


@require_POST
@login_required
def reopen(request: HttpRequest) -> HttpResponse:
    """Re-open a closed year for corrections (the reason is audited)."""
    actor = _user(request)
    if not can_edit_report(actor):
        raise PermissionDenied
    try:
        year = int(request.POST.get("year", ""))
        services.report_year_reopen(
            actor=actor, year=year, reason=request.POST.get("reason", "")[:2000]
        )
    except ValueError:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('reports:annual')}?year={year}")
    messages.success(
        request,
        _("The %(year)s report is re-opened: the pages show the figures from the records.")
        % {"year": year},
    )
    return redirect(f"{reverse('reports:annual')}?year={year}")


@allowed_if(can_read_statistics)
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every figure of the catalogue: id (an anchor), definition, unit, whether it
    counts persons, and how it is counted (records and filters)."""
    return render(
        request,
        "reports/catalogue.html",
        {"figures": selectors.catalogue_for(actor=_user(request), language=_language())},
    )
