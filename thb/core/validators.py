"""One validator per rule for every number and date users and files enter, with the
bounds from the country profile (`limits` and `personal_code` in limits.yaml).

Forms use them as field validators (the `*_field` helpers), the API's schemas as
pydantic validators (`schema_check`), the services call them with `field=` so the
error names the field, and imports reach them through the services or the parsers in
thb.interop.parsers. Each returns the clean value or raises ValidationError: with
`field` given, ValidationError({field: message}); otherwise a plain message."""

from __future__ import annotations

import datetime
import functools
import re
import time
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.core import formats
from thb.core.languages import country_language, current_language, language_name, languages
from thb.profiles import get_profile
from thb.profiles.loader import profile_derived
from thb.profiles.sections.limits import LimitsSection, PersonalCodeFormat

MoneyKind = Literal["payment", "funding", "property"]
MonthKind = Literal["deprivation_of_liberty", "probation", "residence_permit"]
TextKind = Literal["name", "line", "notes", "chapter"]
T = TypeVar("T")


def limits() -> LimitsSection:
    return get_profile().limits


def _fail(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message}) if field else ValidationError(message)


def _decimal(value: Any, field: str | None) -> Decimal:
    if isinstance(value, bool):
        raise _fail(field, _("Enter a number."))
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise _fail(field, _("Enter a number.")) from None
    if not number.is_finite():
        raise _fail(field, _("Enter a number."))
    return number


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _bounded_decimal(
    value: Any,
    *,
    field: str | None,
    minimum: Decimal,
    maximum: Decimal,
    places: int,
    minimum_exclusive: bool,
) -> Decimal:
    number = _decimal(value, field)
    below = number <= minimum if minimum_exclusive else number < minimum
    if below or number > maximum:
        if minimum_exclusive:
            message = _("Enter a number greater than %(low)s and at most %(high)s.")
        else:
            message = _("Enter a number from %(low)s to %(high)s.")
        bounds = {"low": formats.number(minimum), "high": formats.number(maximum)}
        raise _fail(field, message % bounds)
    if _places(number) > places:
        raise _fail(
            field, _("Enter at most %(places)d digits after the point.") % {"places": places}
        )
    return number.quantize(Decimal(1).scaleb(-places)) if places else number


def amount(
    value: Any, *, kind: MoneyKind = "payment", allow_zero: bool = True, field: str | None = None
) -> Decimal:
    """An amount in euros: not negative (or above zero), to the cent, at most the
    profile's maximum for its kind."""
    money = limits().money
    return _bounded_decimal(
        value,
        field=field,
        minimum=Decimal(0),
        maximum=getattr(money.maximum_eur, kind),
        places=money.decimal_places,
        minimum_exclusive=not allow_zero,
    )


def hours(value: Any, *, field: str | None = None) -> Decimal:
    """Hours of one service: from 0 to the profile's hours per service."""
    bounds = limits().hours
    return _bounded_decimal(
        value,
        field=field,
        minimum=Decimal(0),
        maximum=bounds.per_service,
        places=bounds.decimal_places,
        minimum_exclusive=False,
    )


def _integer(value: Any, field: str | None) -> int:
    if isinstance(value, bool):
        raise _fail(field, _("Enter a whole number."))
    if isinstance(value, int):
        return value
    number = _decimal(value, field)
    if number != number.to_integral_value():
        raise _fail(field, _("Enter a whole number."))
    return int(number)


def _bounded_int(
    value: Any, low: int, high: int, field: str | None, *, is_year: bool = False
) -> int:
    number = _integer(value, field)
    if not low <= number <= high:
        # The bounds as the active language writes numbers ("10 000 000" in Latvian);
        # a year is written without a thousands separator.
        if is_year:
            bounds = {"low": str(low), "high": str(high)}
        else:
            bounds = {"low": formats.number(low), "high": formats.number(high)}
        raise _fail(field, _("Enter a whole number from %(low)s to %(high)s.") % bounds)
    return number


def count(value: Any, *, minimum: int = 0, field: str | None = None) -> int:
    """A count in one record (contacts, participants, reach, sessions)."""
    return _bounded_int(value, minimum, limits().counts.maximum, field)


def months(value: Any, *, kind: MonthKind, field: str | None = None) -> int:
    """A period in months: a sentence (the justice section's longest terms) or a
    residence permit requested."""
    profile = get_profile()
    maximum = {
        "deprivation_of_liberty": profile.justice.deprivation_of_liberty_max_months,
        "probation": profile.justice.probation_supervision_max_months,
        "residence_permit": profile.limits.months.residence_permit,
    }[kind]
    return _bounded_int(value, 1, maximum, field)


def children(value: Any, *, field: str | None = None) -> int:
    return _bounded_int(value, 0, limits().children, field)


def age(value: Any, *, field: str | None = None) -> int:
    return _bounded_int(value, 0, limits().ages.maximum, field)


def year(value: Any, *, field: str | None = None) -> int:
    bounds = limits().years
    return _bounded_int(value, bounds.earliest, bounds.latest, field, is_year=True)


@functools.cache
def _country_codes() -> frozenset[str]:
    from django_countries import countries

    return frozenset(code for code, _name in countries)


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166 two-letter code of django-countries' list. A set
    built once per process: `code in countries` looks the active language up on every
    call (tens of microseconds, for every imported row)."""
    return code in _country_codes()


def _date(value: Any, field: str | None) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _fail(field, _("Enter a valid date.")) from None


def past_date(value: Any, *, field: str | None = None) -> datetime.date:
    """The date of something that has happened: from the profile's earliest date to today."""
    day = _date(value, field)
    earliest = limits().dates.earliest
    if day < earliest:
        raise _fail(
            field, _("The date cannot be before %(date)s.") % {"date": formats.day(earliest)}
        )
    if day > _surely_past() and day > timezone.localdate():
        raise _fail(field, _("The date cannot be in the future."))
    return day


def _surely_past() -> datetime.date:
    """A day that is in the past in every time zone (UTC's yesterday: zones are at
    most 14 hours from UTC): a date up to it needs no look-up of the active zone, the
    costly part of checking thousands of imported dates."""
    today = int(time.time() // 86400)  # the UTC day, counted from 1970-01-01
    if _SURELY_PAST[0] != today:
        _SURELY_PAST[:] = [today, _EPOCH + datetime.timedelta(days=today - 1)]
    return _SURELY_PAST[1]


_EPOCH = datetime.date(1970, 1, 1)
# (UTC day, the day before it): recomputed when the UTC day changes.
_SURELY_PAST: list[Any] = [None, None]


def record_date(value: Any, *, field: str | None = None) -> datetime.date:
    """A date that may lie ahead (a planned end, a validity): from the earliest date to
    the profile's years ahead of today."""
    day = _date(value, field)
    bounds = limits().dates
    today = timezone.localdate()
    latest = today.replace(year=today.year + bounds.years_ahead, day=min(today.day, 28))
    if day < bounds.earliest:
        raise _fail(
            field, _("The date cannot be before %(date)s.") % {"date": formats.day(bounds.earliest)}
        )
    if day > latest:
        raise _fail(field, _("The date cannot be after %(date)s.") % {"date": formats.day(latest)})
    return day


def moment(value: datetime.datetime, *, field: str | None = None) -> datetime.datetime:
    """A date and time that has happened (a helpline contact)."""
    past_date(value.date(), field=field)
    return value


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Completed years on the day."""
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )


def age_fits_birth(
    age_value: int | None,
    *,
    date_of_birth: datetime.date | None,
    on: datetime.date,
    field: str | None = "age_at_identification",
) -> None:
    """An age at identification must fit the date of birth: the completed years at the
    intake date `on`, or up to the profile's tolerance more (identification follows)."""
    if age_value is None or date_of_birth is None:
        return
    if date_of_birth > on:
        raise _fail("date_of_birth", _("The date of birth is after the intake date."))
    expected = age_on(date_of_birth, on)
    tolerance = limits().ages.tolerance_years
    if not expected <= age_value <= expected + tolerance:
        # Both fields are named: either may be the wrong one. The date of birth itself is
        # not repeated (import errors never repeat identifying values).
        message = _(
            "The age %(age)d does not fit the date of birth: on %(on)s the person was %(expected)d."
        ) % {"age": age_value, "on": formats.day(on), "expected": expected}
        if field is None:
            raise ValidationError(message)
        raise ValidationError({field: message, "date_of_birth": message})


# Texts: the most characters of each kind of text, from the profile.


def text_limit(kind: TextKind | int) -> int:
    """The most characters of a kind of text (`name`, `line`, `notes`); a number is a
    fixed width (a code or a reference number in the database), kept below `line`.
    Read once per profile: every text of every row of a bulk import is checked."""
    section = limits()
    by_kind = profile_derived(section, "text_limits", lambda: dict(section.text))
    if isinstance(kind, int):
        return min(kind, by_kind["line"])
    return int(by_kind[kind])


def text(value: Any, *, kind: TextKind | int = "notes", field: str | None = None) -> str:
    """A text of at most the profile's characters for its kind. The message counts the
    characters and never repeats the text (it may identify a person)."""
    value = "" if value is None else str(value)
    maximum = text_limit(kind)
    if len(value) > maximum:
        raise _fail(
            field,
            _("Enter at most %(limit)s characters (this has %(length)s).")
            % {"limit": formats.number(maximum), "length": formats.number(len(value))},
        )
    return value


def texts(values: dict[str, tuple[Any, TextKind | int]]) -> None:
    """Several texts at once: {field: (value, kind)}; one error naming every field too long."""
    errors: dict[str, str] = {}
    for name, (value, kind) in values.items():
        try:
            text(value, kind=kind)
        except ValidationError as exc:
            errors[name] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)


def language_map(
    value: Any, *, kind: TextKind | int, required: bool = False, field: str | None = None
) -> dict[str, str]:
    """A text per language as a model's language map stores it ({language code: text}:
    Institution.names, ChapterText.texts, SubmissionSection.texts, Deadline.legal_basis):
    each key one of the profile's languages, each text stripped and at most the kind's
    characters, an empty text left out; `required`: the country's language (the
    profile's first) must have its text. Every failure at once; each error carries the
    language's code in its params (`language_code`), so a form shows it at that
    language's input (thb.core.forms.language_map_fields)."""
    known = languages()
    if value is None:
        value = {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise _fail(field, _("Enter the texts as {language code: text}."))
    errors: list[ValidationError] = []
    texts: dict[str, str] = {}
    maximum = text_limit(kind)
    for code, raw in value.items():
        if code not in known:
            errors.append(
                ValidationError(
                    _("“%(language_code)s” is not one of this country's languages (%(known)s)."),
                    code="unknown_language",
                    params={"language_code": code, "known": ", ".join(known)},
                )
            )
            continue
        text = "" if raw is None else str(raw).strip()
        if len(text) > maximum:
            errors.append(
                ValidationError(
                    _("Enter at most %(limit)s characters in %(language)s (this has %(length)s)."),
                    code="max_length",
                    params={
                        "language_code": code,
                        "language": language_name(code),
                        "limit": formats.number(maximum),
                        "length": formats.number(len(text)),
                    },
                )
            )
        elif text:
            texts[code] = text
    if (
        required
        and country_language() not in texts
        and country_language()
        not in {error.params["language_code"] for error in errors if error.params}
    ):
        errors.append(
            ValidationError(
                _("Enter the text in %(language)s, the country's language."),
                code="required",
                params={
                    "language_code": country_language(),
                    "language": language_name(country_language()),
                },
            )
        )
    if errors:
        raise ValidationError({field: errors}) if field else ValidationError(errors)
    # In the profile's order, the country's language first.
    return {code: texts[code] for code in known if code in texts}


def model_texts(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> None:
    """Every text of a model instance within bounds: a CharField its database width
    (never above the profile's `line`), a TextField the profile's `notes`. For services
    that fill a model from several free-text fields; one error naming each field."""
    values: dict[str, tuple[Any, TextKind | int]] = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in exclude or model_field.choices:
            continue
        kind: TextKind | int
        if isinstance(model_field, models.CharField):
            kind = model_field.max_length or "line"
        elif isinstance(model_field, models.TextField):
            kind = "notes"
        else:
            continue
        value = getattr(instance, model_field.attname, None)
        if isinstance(value, str):
            values[model_field.name] = (value, kind)
    texts(values)


# The personal code: format and check digit as the profile describes them.


def _checksum_ok(digits: str, spec: Any) -> bool:
    body, check = digits[:-1], int(digits[-1])
    if len(body) != len(spec.weights):
        return False
    total = sum(int(d) * w for d, w in zip(body, spec.weights, strict=True))
    return (spec.offset - total) % spec.modulus == check


def _format_problem(code: str, fmt: PersonalCodeFormat) -> str | None:
    match = re.fullmatch(fmt.pattern, code)
    if match is None:
        return _("It does not have the format %(example)s.") % {
            "example": get_profile().personal_code.example
        }
    groups = match.groupdict()
    if {"day", "month", "year"} <= groups.keys():
        century = fmt.centuries.get(groups.get("century") or "", 1900)
        try:
            datetime.date(century + int(groups["year"]), int(groups["month"]), int(groups["day"]))
        except ValueError:
            return _("It does not contain a valid date of birth.")
    if fmt.checksum is not None and not _checksum_ok(re.sub(r"\D", "", code), fmt.checksum):
        return _("Its check digit is wrong: check the code.")
    return None


def personal_code(value: str, *, field: str | None = None) -> str:
    """A personal code of the profile's country (blank allowed: not every victim has one).
    The first format that accepts the code wins; otherwise the error of the closest."""
    code = "".join(value.split())
    if not code:
        return ""
    section = get_profile().personal_code
    problems = []
    for fmt in section.formats:
        problem = _format_problem(code, fmt)
        if problem is None:
            return code
        problems.append((re.fullmatch(fmt.pattern, code) is not None, problem))
    matched = [problem for did_match, problem in problems if did_match]
    name = section.label.get(current_language())
    raise _fail(
        field,
        _("This is not a valid %(name)s. %(problem)s")
        % {"name": name, "problem": (matched or [problems[0][1]])[0]},
    )


def personal_code_birth_date(code: str) -> datetime.date | None:
    """The date of birth a valid personal code carries, if its format has one."""
    for fmt in get_profile().personal_code.formats:
        match = re.fullmatch(fmt.pattern, code)
        if match is None or _format_problem(code, fmt) is not None:
            continue
        groups = match.groupdict()
        if not {"day", "month", "year"} <= groups.keys():
            return None
        century = fmt.centuries.get(groups.get("century") or "", 1900)
        return datetime.date(
            century + int(groups["year"]), int(groups["month"]), int(groups["day"])
        )
    return None


def personal_code_fits_birth(
    code: str, date_of_birth: datetime.date | None, *, field: str | None = "personal_code"
) -> None:
    """A personal code that carries a date of birth must carry the one recorded."""
    carried = personal_code_birth_date(code) if code else None
    if carried is not None and date_of_birth is not None and carried != date_of_birth:
        raise _fail(
            field,
            _("The personal code gives the date of birth %(code_date)s, not %(date)s.")
            % {"code_date": formats.day(carried), "date": formats.day(date_of_birth)},
        )


# Adapters: the same rules as form-field validators and as pydantic validators.


def form_check(check: Callable[..., Any], **options: Any) -> Callable[[Any], None]:
    def validate(value: Any) -> None:
        if value is not None and value != "":
            check(value, **options)

    return validate


def schema_check(check: Callable[..., T], **options: Any) -> Callable[[Any], T]:
    """For `Annotated[..., AfterValidator(schema_check(amount, kind="payment"))]`: the
    message becomes a 422 naming the field."""

    def validate(value: Any) -> T:
        try:
            return check(value, **options)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None

    return validate


def amount_field(
    label: Any, *, kind: MoneyKind = "payment", allow_zero: bool = True, **kwargs: Any
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        validators=[form_check(amount, kind=kind, allow_zero=allow_zero)],
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        **kwargs,
    )


def hours_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        validators=[form_check(hours)],
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        **kwargs,
    )


def text_field(
    label: Any, *, kind: TextKind | int = "notes", textarea: bool | None = None, **kwargs: Any
) -> forms.CharField:
    """A text field bounded by the profile: the browser's maxlength and the same check
    as the services and imports."""
    maximum = text_limit(kind)
    if textarea is None:
        textarea = kind == "notes"
    widget = kwargs.pop("widget", None) or (
        forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput()
    )
    widget.attrs["maxlength"] = str(maximum)
    return forms.CharField(
        label=label, validators=[form_check(text, kind=kind)], widget=widget, **kwargs
    )


def integer_field(label: Any, check: Callable[..., int], **options: Any) -> forms.IntegerField:
    required = options.pop("required", True)
    initial = options.pop("initial", None)
    help_text = options.pop("help_text", "")
    return forms.IntegerField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        validators=[form_check(check, **options)],
        widget=forms.NumberInput(attrs={"min": "0"}),
    )


class Collect:
    """Run independent checks and report every failure at once (one round of errors,
    not one per submit). Each `with errors:` block is one check; a ValidationError it
    raises is kept and the next check runs. `raise_if_any()` raises them together,
    naming their fields, so forms, the API and the import see all of them.

        errors = Collect()
        with errors:
            past_date(start, field="start")
        with errors:
            past_date(end, field="end")
        errors.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def __enter__(self) -> Collect:
        return self

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
        if isinstance(exc, ValidationError):
            self.add(exc)
            return True
        return False

    def add(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.errors.setdefault(name, []).extend(errors)
        else:
            self.errors.setdefault(NON_FIELD_ERRORS, []).extend(exc.error_list)

    def failed(self, *names: str) -> bool:
        """Whether a check already failed on any of these fields (a check that depends
        on them is then skipped rather than reported twice)."""
        return any(name in self.errors for name in names)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(dict(self.errors))
