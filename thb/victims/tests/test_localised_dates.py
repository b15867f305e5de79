"""Dates on users' pages in the active language's conventions, with the ISO day kept
for machines in `<time datetime=...>` (issue 10, part 4)."""

from datetime import date

import pytest
from django.urls import reverse

from thb.victims.tests.factories import make_case


@pytest.fixture
def case(owner):
    return make_case(owner, intake_date=date(2020, 5, 4))


@pytest.mark.parametrize(
    ("language", "shown"),
    [("lv", "4.05.2020."), ("en", "04/05/2020")],
)
@pytest.mark.parametrize("page", ["victims:case_list", "victims:case_detail"])
def test_the_intake_date_is_shown_in_the_language_convention_with_the_iso_day_for_machines(
    client_for, owner, case, language, shown, page
) -> None:
    client = client_for(owner)
    client.cookies["django_language"] = language
    args = [case.person.code] if page == "victims:case_detail" else []
    html = client.get(reverse(page, args=args)).content.decode()
    assert f'<time datetime="2020-05-04">{shown}</time>' in html
    assert ">2020-05-04<" not in html
