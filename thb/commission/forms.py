"""The commission's forms. Each runs its service's `*_check` in `clean()` (the form
pattern, thb/core/forms.py FormPattern): every error in one round, nothing preselected."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import User
from thb.commission import policy, services
from thb.commission.models import AgendaItem, Meeting, Stance, Submission
from thb.core import formats, validators
from thb.core.forms import BoundedKeys, FormPattern
from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.screening.models import Screening
from thb.victims.models import Case

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _member_label(user: User) -> str:
    name = user.get_full_name() or user.get_username()
    institution = user.institution.display_name(current_language()) if user.institution else ""
    return f"{name} ({institution})" if institution else name


class MemberChoiceField(BoundedKeys, forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _member_label(cast(User, obj))


class ChairChoiceField(BoundedKeys, forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _member_label(cast(User, obj))


class SubmissionForm(FormPattern, forms.Form):
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE_WIDGET)
    summary = validators.text_field(
        _("Case summary for the commission"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the commission needs to decide: how the person was recruited, moved and "
            "exploited. Do not write names or personal codes: the commission sees the case "
            "code only."
        ),
    )
    screening = forms.ModelChoiceField(
        label=_("Screening"),
        queryset=Screening.objects.none(),
        required=False,
        help_text=_("The screening the commission reads with the summary."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["screening"])
        field.queryset = Screening.objects.filter(case=case).order_by("-screened_on", "-id")
        field.empty_label = _("none")

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.submission_check(
            self.case,
            submitted_on=data.get("submitted_on"),
            summary=data.get("summary") or "",
            screening=data.get("screening"),
            errors=errors,
        )


class MeetingForm(FormPattern, forms.Form):
    held_on = forms.DateField(label=_("Meeting date"), widget=DATE_WIDGET)

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.meeting_check(held_on=data.get("held_on"), errors=errors)


class AttendanceForm(FormPattern, forms.Form):
    members = MemberChoiceField(
        label=_("Members present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    chair = ChairChoiceField(
        label=_("Chair"),
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        eligible = (
            User.objects.filter(policy.eligible_members(meeting.institution))
            .select_related("institution")
            .order_by("institution__name", "last_name", "username")
        )
        for name in ("members", "chair"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = eligible

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.attendance_check(
            self.meeting,
            members=list(data.get("members") or []),
            chair=data.get("chair"),
            errors=errors,
        )


class SubmissionChoiceField(BoundedKeys, forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        submission = cast(Submission, obj)
        return f"{submission.case.person.code} ({formats.day(submission.submitted_on)})"


class AgendaForm(FormPattern, forms.Form):
    submissions = SubmissionChoiceField(
        label=_("Cases on the agenda"),
        queryset=Submission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, choices: Any, **kwargs: Any) -> None:
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["submissions"]).queryset = choices

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.agenda_check(
            self.meeting, submissions=list(data.get("submissions") or []), errors=errors
        )


class PositionForm(FormPattern, forms.Form):
    stance = forms.ChoiceField(
        label=_("Your position"), choices=Stance.choices, widget=forms.RadioSelect
    )
    reasons = validators.text_field(
        _("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, item: AgendaItem, **kwargs: Any) -> None:
        self.item = item
        super().__init__(*args, **kwargs)

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.position_check(
            self.item,
            stance=data.get("stance") or "",
            reasons=data.get("reasons") or "",
            errors=errors,
        )


class ItemDecisionForm(FormPattern, forms.Form):
    recognised = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("recognised as a victim of trafficking")), ("no", _("not recognised"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        empty_value=None,
    )
    criteria_met = forms.MultipleChoiceField(
        label=_("Criteria met (Reg. No. 344, Annex 2)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = validators.text_field(
        _("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # A decision without a form of exploitation is refused at "Decision".
    field_aliases = {"forms": "recognised", "members": "recognised"}

    def __init__(self, *args: Any, item: AgendaItem, **kwargs: Any) -> None:
        self.item = item
        super().__init__(*args, **kwargs)
        cast(
            forms.MultipleChoiceField, self.fields["criteria_met"]
        ).choices = get_profile().choices("identification_criteria", current_language())

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.decision_for_item_check(
            self.item,
            recognised=data.get("recognised"),
            criteria_met=data.get("criteria_met") or [],
            reasons=data.get("reasons") or "",
            errors=errors,
        )
