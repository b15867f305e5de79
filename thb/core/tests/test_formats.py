"""Numbers in the active language's conventions (issue 10, part 4): one set of
functions (thb/core/formats.py) behind the template filters."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from thb.core import formats

NBSP = "\xa0"


def test_latvian_groups_thousands_with_a_no_break_space_and_writes_a_decimal_comma() -> None:
    assert formats.number(67555, language="lv") == f"67{NBSP}555"
    assert formats.amount(Decimal("135110.00"), language="lv") == f"135{NBSP}110,00"
    assert formats.amount(Decimal("-67260"), language="lv") == f"-67{NBSP}260,00"
    assert formats.money(Decimal("135110"), language="lv") == f"135{NBSP}110,00{NBSP}€"
    assert formats.number(Decimal("0.01"), 2, language="lv") == "0,01"
    assert formats.percent(Decimal("52.3"), language="lv") == "52,3%"


def test_english_writes_commas_and_a_decimal_point() -> None:
    assert formats.number(1200000, language="en") == "1,200,000"
    assert formats.money(Decimal("135110"), language="en") == "€135,110.00"
    assert formats.amount(0, language="en") == "0.00"


def test_empty_values_stay_empty_and_text_is_left_alone() -> None:
    assert formats.number(None) == ""
    assert formats.amount("") == ""
    assert formats.number("n/a") == "n/a"


def test_the_template_filters_follow_the_active_language() -> None:
    template = Template("{% load thb %}{{ n|number }} {{ c|amount }} {{ c|money }} {{ p|percent }}")
    context = Context({"n": 67555, "c": Decimal("1200000"), "p": 12.5})
    with translation.override("lv"):
        assert template.render(context) == (
            f"67{NBSP}555 1{NBSP}200{NBSP}000,00 1{NBSP}200{NBSP}000,00{NBSP}€ 12,5%"
        )
    with translation.override("en"):
        assert template.render(context) == "67,555 1,200,000.00 €1,200,000.00 12.5%"


def test_dates_follow_the_language_and_datetimes_the_profile_time_zone() -> None:
    from datetime import UTC, date, datetime

    assert formats.day(date(2020, 5, 4), language="lv") == "4.05.2020."
    assert formats.day(date(2020, 5, 4), language="en") == "04/05/2020"
    assert formats.day(None) == ""
    assert formats.day("2020-05-04", language="lv") == "4.05.2020."  # JSON event data
    assert formats.day("Uzbekistāna") == "Uzbekistāna"
    # 22:30 UTC on 4 May is 01:30 on 5 May in Riga (country.time_zone).
    late = datetime(2020, 5, 4, 22, 30, tzinfo=UTC)
    assert formats.moment(late, language="lv") == "5.05.2020. 01:30"
    assert formats.moment(late, language="en") == "05/05/2020 01:30"
    assert formats.day(late, language="lv") == "5.05.2020."
    template = Template("{% load thb %}{{ d|day }} · {{ m|moment }}")
    with translation.override("en"):
        assert template.render(Context({"d": date(2020, 5, 4), "m": late})) == (
            "04/05/2020 · 05/05/2020 01:30"
        )


def test_a_day_is_written_as_babel_writes_the_date_skeleton() -> None:
    """day() matches the skeleton once per locale; the text is format_skeleton's."""
    import datetime

    from babel.dates import format_skeleton

    for language in ("lv", "en"):
        locale = formats._date_locale(language)
        for value in (datetime.date(2020, 5, 4), datetime.date(1999, 12, 31)):
            expected = format_skeleton(formats.DATE_SKELETON, value, locale=locale)
            assert formats.day(value, language) == expected
