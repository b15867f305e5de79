"""The form pattern (issue 10, part 1; GOV.UK Design System as the model): every error
of a form in one round, the form's own and the service's rules together, with an error
summary at the top linking to each field, and "Error: " in the page title."""

import re

import pytest
from django.urls import reverse

from thb.victims.models import Person
from thb.victims.tests.test_views import _intake_post

# Five independent errors: two required choices left empty (the form's own checks),
# an e-mail that does not parse (a field check), an intake date in the future and an
# exploitation that ends before it starts (the service's rules, intake_check).
FIVE_ERRORS = {
    "referral_channel": "",
    "sex": "",
    "email": "not-an-address",
    "intake_date": "2999-01-01",
    "exploitation_start": "2020-05-01",
    "exploitation_end": "2020-01-01",
}
FIVE_FIELDS = ["intake_date", "referral_channel", "email", "sex", "exploitation_end"]


def _summary_links(page: str) -> list[str]:
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary is not None, "no error summary"
    return re.findall(r'<a href="#([^"]+)"', summary.group(1))


@pytest.mark.django_db
def test_a_form_with_five_independent_errors_shows_all_five_with_the_summary(client_for, owner):
    response = client_for(owner, "en").post(
        reverse("victims:case_create"), _intake_post(**FIVE_ERRORS)
    )
    assert response.status_code == 200
    assert Person.objects.count() == 0
    form = response.context["form"]
    assert sorted(form.errors) == sorted(FIVE_FIELDS)
    page = response.content.decode()
    # The summary: role=alert, focusable, "There is a problem", a link per error.
    assert re.search(r'<div class="error-summary" role="alert"[^>]*tabindex="-1"', page)
    assert "There is a problem" in page
    assert _summary_links(page) == [f"id_{name}" for name in FIVE_FIELDS]
    for name in FIVE_FIELDS:
        # Each link's target exists, and its error is tied to it by aria-describedby.
        assert f'id="id_{name}"' in page
        assert f'id="id_{name}_error"' in page
        field = re.search(rf'<(input|select)[^>]*id="id_{name}"[^>]*>', page)
        assert field is not None and f"id_{name}_error" in field.group(0), name
    assert re.search(r"<title>Error: ", page)
    assert "The end is before the start." in page


@pytest.mark.django_db
def test_the_summary_and_title_are_in_latvian(client_for, owner):
    response = client_for(owner, "lv").post(
        reverse("victims:case_create"), _intake_post(**FIVE_ERRORS)
    )
    page = response.content.decode()
    assert "Radusies problēma" in page
    assert re.search(r"<title>Kļūda: ", page)
    assert len(_summary_links(page)) == 5


@pytest.mark.django_db
def test_a_page_without_errors_has_no_summary(client_for, owner):
    page = client_for(owner, "en").get(reverse("victims:case_create")).content.decode()
    assert "error-summary" not in page
    assert not re.search(r"<title>Error: ", page)


@pytest.mark.django_db
def test_hints_are_tied_to_their_fields(client_for, owner):
    page = client_for(owner, "en").get(reverse("victims:case_create")).content.decode()
    assert 'id="id_age_at_identification_helptext"' in page
    field = re.search(r'<input[^>]*id="id_age_at_identification"[^>]*>', page)
    assert field is not None and "id_age_at_identification_helptext" in field.group(0)
    # The long form is in sections, each a fieldset with a legend.
    assert page.count('<fieldset class="section">') >= 4
    assert "<legend>Identity</legend>" in page


@pytest.mark.django_db
def test_a_decision_shows_its_rule_errors_with_the_missing_fields(client_for, owner):
    from thb.victims.tests.factories import make_case

    case = make_case(owner)
    response = client_for(owner, "en").post(
        reverse("victims:case_decision", args=[case.person.code]),
        {"kind": "commission", "decided_on": "2999-01-01", "members": ""},
    )
    form = response.context["form"]
    # The radio left unchosen (form) with the future date and the missing members (rules).
    assert {"recognised", "decided_on", "members"} <= set(form.errors)
    assert "id_recognised_0" in _summary_links(response.content.decode())
