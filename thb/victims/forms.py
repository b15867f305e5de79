"""Forms of the victim register. Field validation here; the rules of the register are
enforced by the services, whose errors are attached to the field they name."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution, InstitutionKind
from thb.core import validators
from thb.core.forms import (
    FormPattern,
    LongSelect,
    NormalizedChoices,
    country_names,
)
from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.victims.models import Case, DecisionKind, Sex, country_code
from thb.victims.services import (
    IDENTITY_FIELDS,
    Decision,
    ExploitationProfile,
    Identity,
    Intake,
    VictimProfile,
    decision_check,
    intake_check,
    profile_check,
)

PLACE_ROWS = 3
TRANSIT_ROWS = 4
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _choices(section: str, blank: bool = False) -> list[tuple[str, str]]:
    items = get_profile().choices(section, current_language())
    return ([("", "—")] if blank else []) + items


def choose(choices: Any) -> list[tuple[str, Any]]:
    """A required choice with nothing preselected: an empty "Choose…" option first, so
    the user decides (the form pattern: no default the user must decide)."""
    return [("", _("Choose…")), *choices]


def country_choices(blank_label: str = "—") -> list[tuple[str, str]]:
    """The countries by name in the active language, after `blank_label`: a fresh list
    of the names kept per language, ready for a ChoiceField as it is."""
    return NormalizedChoices([("", blank_label), *country_names()])


class ServiceErrorsMixin(FormPattern):
    """Attach a service's ValidationError to the form field it names, and run the
    service's rules with the fields' own checks (the form pattern: thb.core.forms)."""


class VictimProfileForm(ServiceErrorsMixin, forms.Form):
    """The victim profile at identification and the exploitation profile."""

    field_aliases = {
        "places": "place_1_country",
        "forms": "exploitation_forms",
        "transit": "transit_1",
    }

    sex = forms.ChoiceField(label=_("Sex"), choices=choose(Sex.choices))
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False, widget=LongSelect)
    age_at_identification = validators.integer_field(
        _("Age at identification"),
        validators.age,
        required=False,
        help_text=_("Decides whether the person counts as a minor."),
    )
    education = forms.ChoiceField(label=_("Education"))
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerability factors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every factor known; none ticked: none known."),
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every form. The primary form is derived by the profile's rule."),
    )
    labour_sector = forms.ChoiceField(label=_("Sector (labour exploitation)"), required=False)
    primary_form_override = forms.ChoiceField(
        label=_("Primary form (override)"),
        required=False,
        help_text=_("Only when the rule gives a wrong result; give the reason."),
    )
    primary_form_override_reason = validators.text_field(
        _("Reason for the override"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recruitment_method = forms.ChoiceField(label=_("Recruitment method"))
    recruitment_platform = forms.ChoiceField(
        label=_("Recruitment platform (online)"), required=False
    )
    migration_route = forms.ChoiceField(label=_("Visa or posting route"), required=False)
    exploitation_start = forms.DateField(
        label=_("Exploitation from"), required=False, widget=DATE_WIDGET
    )
    exploitation_end = forms.DateField(
        label=_("Exploitation until"), required=False, widget=DATE_WIDGET
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "citizenship").choices = country_choices()
        _choice_field(self, "education").choices = choose(_choices("education_levels"))
        _choice_field(self, "exploitation_forms").choices = _choices("exploitation_forms")
        _choice_field(self, "labour_sector").choices = [
            ("", _("unknown")),
            *_choices("labour_sectors"),
        ]
        _choice_field(self, "primary_form_override").choices = _choices(
            "exploitation_forms", blank=True
        )
        _choice_field(self, "recruitment_method").choices = choose(_choices("recruitment_methods"))
        _choice_field(self, "vulnerabilities").choices = _choices("vulnerability_factors")
        _choice_field(self, "recruitment_platform").choices = _choices(
            "recruitment_platforms", blank=True
        )
        _choice_field(self, "migration_route").choices = _choices("migration_routes", blank=True)
        for n in range(1, TRANSIT_ROWS + 1):
            self.fields[f"transit_{n}"] = forms.ChoiceField(
                label=_("Transit country %(n)s") % {"n": n},
                required=False,
                choices=country_choices(),
                widget=LongSelect,
            )
        home = get_profile().country.name.get(current_language())
        for n in range(1, PLACE_ROWS + 1):
            self.fields[f"place_{n}_country"] = forms.ChoiceField(
                label=_("Place of exploitation %(n)s: country") % {"n": n},
                required=False,
                choices=country_choices(),
                widget=LongSelect,
            )
            self.fields[f"place_{n}_region"] = forms.ChoiceField(
                label=_("Place of exploitation %(n)s: region (in %(country)s)")
                % {"n": n, "country": home},
                required=False,
                choices=_choices("regions", blank=True),
            )

    def victim_profile(self) -> VictimProfile:
        data = self.cleaned_data
        return VictimProfile(
            sex=data.get("sex") or "",
            citizenship=data.get("citizenship") or "",
            age_at_identification=data.get("age_at_identification"),
            education=data.get("education") or "",
            vulnerabilities=list(data.get("vulnerabilities") or []),
        )

    def place_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        for n in range(1, PLACE_ROWS + 1):
            if data.get(f"place_{n}_region") and not data.get(f"place_{n}_country"):
                errors.add(
                    ValidationError({f"place_{n}_country": _("Choose the country of this region.")})
                )

    def exploitation_profile(self) -> ExploitationProfile:
        data = self.cleaned_data
        profile = get_profile()
        forms_ = [
            (code, data.get("labour_sector", "") if profile.form(code).has_sectors else "")
            for code in data.get("exploitation_forms", [])
        ]
        places = []
        for n in range(1, PLACE_ROWS + 1):
            country = data.get(f"place_{n}_country") or ""
            region = data.get(f"place_{n}_region") or ""
            if country:
                places.append((country, region))
        return ExploitationProfile(
            forms=forms_,
            places=places,
            recruitment_method=data.get("recruitment_method") or "",
            exploitation_start=data.get("exploitation_start"),
            exploitation_end=data.get("exploitation_end"),
            primary_form_override=data.get("primary_form_override") or "",
            primary_form_override_reason=data.get("primary_form_override_reason") or "",
            recruitment_platform=data.get("recruitment_platform") or "",
            migration_route=data.get("migration_route") or "",
            transit=[
                data[f"transit_{n}"] for n in range(1, TRANSIT_ROWS + 1) if data.get(f"transit_{n}")
            ],
        )

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, Any]:
        forms_ = list(case.forms.all())
        initial: dict[str, Any] = {
            "sex": case.person.sex,
            "citizenship": country_code(case.person.citizenship),
            "age_at_identification": case.age_at_identification,
            "education": case.education,
            "exploitation_forms": [f.form for f in forms_],
            "labour_sector": next((f.sector for f in forms_ if f.sector), ""),
            "primary_form_override": case.primary_form_override,
            "primary_form_override_reason": case.primary_form_override_reason,
            "recruitment_method": case.recruitment_method,
            "recruitment_platform": case.recruitment_platform,
            "migration_route": case.migration_route,
            "vulnerabilities": [v.factor for v in case.vulnerabilities.all()],
            "exploitation_start": case.exploitation_start,
            "exploitation_end": case.exploitation_end,
            "screening_notes": case.screening_notes,
        }
        for n, place in enumerate(case.places.all()[:PLACE_ROWS], start=1):
            initial[f"place_{n}_country"] = country_code(place.country)
            initial[f"place_{n}_region"] = place.region
        for n, transit in enumerate(case.transits.all()[:TRANSIT_ROWS], start=1):
            initial[f"transit_{n}"] = country_code(transit.country)
        return initial


class IdentityFieldsMixin(forms.Form):
    given_names = validators.text_field(_("Given names"), kind="name", required=False)
    surname = validators.text_field(_("Surname"), kind="name", required=False)
    personal_code = forms.CharField(
        label=_("Personal code"),
        required=False,
        max_length=40,
        validators=[validators.form_check(validators.personal_code)],
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DATE_WIDGET,
        validators=[validators.form_check(validators.past_date)],
    )
    phone = validators.text_field(_("Phone"), kind="line", required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        validators=[validators.form_check(validators.text, kind="line")],
    )
    address = validators.text_field(_("Address"), kind="line", required=False)

    def identity(self) -> Identity:
        data = self.cleaned_data
        return Identity(
            given_names=data.get("given_names", ""),
            surname=data.get("surname", ""),
            personal_code=data.get("personal_code", ""),
            date_of_birth=data.get("date_of_birth"),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
        )


class IntakeForm(VictimProfileForm, IdentityFieldsMixin):
    intake_date = forms.DateField(
        label=_("Intake date"),
        widget=DATE_WIDGET,
        help_text=_("The day the person was referred or came forward."),
    )
    referral_channel = forms.ChoiceField(label=_("Referred by (channel)"))
    referring_institution = forms.ModelChoiceField(
        label=_("Referring institution"), required=False, queryset=Institution.objects.none()
    )
    identified_abroad_in = forms.ChoiceField(
        label=_("Identified abroad in"),
        required=False,
        widget=LongSelect,
        help_text=_(
            "For a victim identified abroad (a consular report, a referral from an NGO "
            "abroad): the country. A return home can then be planned."
        ),
    )
    # The screening (list, indicators, notes) is the screening section of the page
    # (thb/screening/forms.py ScreeningSectionForm), recorded by the same service call.

    field_order = [
        "intake_date",
        "referral_channel",
        "referring_institution",
        "identified_abroad_in",
        *IDENTITY_FIELDS,
        "sex",
        "citizenship",
        "age_at_identification",
        "education",
        "vulnerabilities",
        "exploitation_forms",
        "labour_sector",
        "primary_form_override",
        "primary_form_override_reason",
        "recruitment_method",
        "recruitment_platform",
        "migration_route",
        "exploitation_start",
        "exploitation_end",
        "place_1_country",
        "place_1_region",
        "place_2_country",
        "place_2_region",
        "place_3_country",
        "place_3_region",
        *(f"transit_{n}" for n in range(1, TRANSIT_ROWS + 1)),
    ]
    fieldsets = [
        (
            _("Intake"),
            ["intake_date", "referral_channel", "referring_institution", "identified_abroad_in"],
        ),
        (_("Identity"), list(IDENTITY_FIELDS)),
        (
            _("The person"),
            ["sex", "citizenship", "age_at_identification", "education", "vulnerabilities"],
        ),
        (
            _("Exploitation"),
            [
                "exploitation_forms",
                "labour_sector",
                "primary_form_override",
                "primary_form_override_reason",
                "recruitment_method",
                "recruitment_platform",
                "migration_route",
                "exploitation_start",
                "exploitation_end",
            ],
        ),
        (
            _("Places of exploitation"),
            [
                f"place_{n}_{part}"
                for n in range(1, PLACE_ROWS + 1)
                for part in ("country", "region")
            ],
        ),
        (_("Transit countries"), [f"transit_{n}" for n in range(1, TRANSIT_ROWS + 1)]),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "referral_channel").choices = choose(_choices("referral_channels"))
        _choice_field(self, "identified_abroad_in").choices = country_choices()
        cast(
            forms.ModelChoiceField, self.fields["referring_institution"]
        ).queryset = Institution.objects.filter(active=True)
        self.order_fields(self.field_order)

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        """The intake's rules (intake_check, as case_create runs them) on what parsed."""
        self.place_check(data, errors)
        intake_check(self.intake(self.exploitation_profile()), errors)

    def intake(self, exploitation: ExploitationProfile) -> Intake:
        """The intake as entered (in clean, `intake_date` is None where it did not parse)."""
        data = self.cleaned_data
        return Intake(
            intake_date=data.get("intake_date"),  # type: ignore[arg-type]
            referral_channel=data.get("referral_channel") or "",
            referring_institution=data.get("referring_institution"),
            victim=self.victim_profile(),
            identity=self.identity(),
            exploitation=exploitation,
            screening_notes=data.get("screening_notes", ""),
            identified_abroad_in=data.get("identified_abroad_in") or "",
        )


class ProfileEditForm(VictimProfileForm, IdentityFieldsMixin):
    screening_notes = validators.text_field(_("Screening notes"), required=False)
    fieldsets = [*IntakeForm.fieldsets[1:], (_("Screening"), ["screening_notes"])]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        """The profile's rules (profile_check, as case_update_profile runs them)."""
        self.place_check(data, errors)
        profile_check(
            self.case, self.victim_profile(), self.exploitation_profile(), self.identity(), errors
        )


class DecisionForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Decided by"), choices=choose(DecisionKind.choices))
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET)
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
    # A decision without a form of exploitation is refused at "Decision".
    field_aliases = {"forms": "recognised"}

    reasons = validators.text_field(
        _("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    members = validators.text_field(
        _("Commission members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: name or position of each member who took the decision."),
    )
    proceeding_reference = forms.CharField(
        label=_("Criminal proceeding number"),
        required=False,
        max_length=40,
        help_text=_("For a decision of a process director."),
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[str] | None = None,
        intake_date: date | None = None,
        case_forms: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.intake_date = intake_date
        self.case_forms = case_forms
        _choice_field(self, "criteria_met").choices = _choices("identification_criteria")
        if kinds:
            _choice_field(self, "kind").choices = choose(
                [c for c in DecisionKind.choices if c[0] in kinds]
            )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        """The decision's rules (decision_check, as decision_record runs them)."""
        if self.intake_date is None:
            return
        decision = Decision(
            kind=data.get("kind") or "",
            decided_on=data.get("decided_on"),  # type: ignore[arg-type]
            recognised=data.get("recognised"),  # type: ignore[arg-type]
            criteria_met=data.get("criteria_met") or [],
            reasons=data.get("reasons") or "",
            members=data.get("members") or "",
            proceeding_reference=data.get("proceeding_reference") or "",
        )
        decision_check(decision, intake_date=self.intake_date, forms=self.case_forms, errors=errors)


class RoutingForm(ServiceErrorsMixin, forms.Form):
    submitted_to_commission_on = forms.DateField(
        label=_("Put before the specialist commission on"), required=False, widget=DATE_WIDGET
    )
    proceeding_institution = forms.ModelChoiceField(
        label=_("Institution of the criminal proceeding"),
        required=False,
        queryset=Institution.objects.filter(
            kind__in=[
                InstitutionKind.STATE_POLICE,
                InstitutionKind.PROSECUTOR,
                InstitutionKind.BORDER_GUARD,
            ]
        ),
        help_text=_("Its process directors will see this case."),
    )
    proceeding_reference = forms.CharField(
        label=_("Criminal proceeding number"), required=False, max_length=40
    )


class InjuredPartyForm(ServiceErrorsMixin, forms.Form):
    field_aliases = {
        "injured_party_on": "recognised_on",
        "injured_party_proceeding": "proceeding_reference",
    }

    recognised_on = forms.DateField(label=_("Recognised as injured party on"), widget=DATE_WIDGET)
    proceeding_reference = forms.CharField(label=_("Criminal proceeding number"), max_length=40)


class CaseFilterForm(forms.Form):
    # The filter is on every case list request: its selects are written directly
    # (LongSelect), not through a template per option.
    year = validators.integer_field(_("Year"), validators.year, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=LongSelect)
    form = forms.ChoiceField(label=_("Primary form"), required=False, widget=LongSelect)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False, widget=LongSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from thb.victims.models import CaseStatus

        _choice_field(self, "status").choices = [("", _("all")), *CaseStatus.choices]
        _choice_field(self, "form").choices = [("", _("all")), *_choices("exploitation_forms")]
        _choice_field(self, "citizenship").choices = country_choices(str(_("all")))
