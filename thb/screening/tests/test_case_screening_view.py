"""The page that records a screening on an existing case: the owner, a colleague at
another institution, the commission, a process director and an outsider."""

from datetime import date

import pytest
from django.urls import reverse

from thb.accounts.models import Role
from thb.screening.models import Screening
from thb.victims.models import Case, CaseEvent
from thb.victims.tests.factories import make_case


@pytest.fixture
def case(owner):
    return make_case(owner, age=16, forms=(("labour", ""),))


def _url(case):
    return reverse("screening:case_screening", args=[case.person.code])


def _post(**changes):
    data = {
        "screening-list_key": "child_labour",
        "screening-child_labour-dim_cr": ["cr.violence_on_victims", "cr.debt_bondage"],
        "screening-child_labour-dim_ex": [
            "ex.excessive_working_days_or_hours",
            "ex.hazardous_work",
        ],
        "screening-screened_on": "2020-03-10",
        "screening-notes": "Sarunā ar skolotāju.",
    }
    data.update(changes)
    return data


def test_the_owner_records_a_screening_on_the_case(client_for, owner, case):
    detail = client_for(owner, "en").get(reverse("victims:case_detail", args=[case.person.code]))
    assert _url(case) in detail.content.decode()  # the case page links to it
    assert client_for(owner).get(_url(case)).status_code == 200
    response = client_for(owner).post(_url(case), _post())
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.case == case and screening.list_key == "child_labour"
    assert screening.result().sufficient  # a child: recruitment + exploitation suffice
    assert CaseEvent.objects.filter(case=case, kind="screening_recorded").exists()
    page = client_for(owner, "en").get(response["Location"]).content.decode()
    assert "coercive recruitment: positive (2 strong)" in page
    assert "the indicators are sufficient to presume trafficking of children" in page
    timeline = page[page.index('<ol class="timeline">') :]
    assert "Screening recorded" in timeline


def test_a_list_is_required_here(client_for, owner, case):
    response = client_for(owner).post(_url(case), _post(**{"screening-list_key": ""}))
    assert response.status_code == 200
    assert "list_key" in response.context["screening_form"].errors
    assert Screening.objects.count() == 0


def test_a_future_date_is_refused(client_for, owner, case):
    response = client_for(owner).post(_url(case), _post(**{"screening-screened_on": "2999-01-01"}))
    assert response.status_code == 200
    assert "screened_on" in response.context["screening_form"].errors
    assert Screening.objects.count() == 0


def test_a_colleague_and_an_outsider_get_404(client_for, colleague, outsider, case):
    for user in (colleague, outsider):
        assert client_for(user).get(_url(case)).status_code == 404
        assert client_for(user).post(_url(case), _post()).status_code == 404
    assert Screening.objects.count() == 0


def test_the_commission_and_the_process_director_get_403(
    client_for, make_user, provider, police, case
):
    Case.objects.filter(pk=case.pk).update(
        submitted_to_commission_on=date(2020, 3, 5), proceeding_institution=police
    )
    member = make_user("member", Role.COMMISSION_MEMBER, provider)
    director = make_user("director", Role.PROCESS_DIRECTOR, police)
    for user in (member, director):
        assert client_for(user).get(_url(case)).status_code == 403
        assert client_for(user).post(_url(case), _post()).status_code == 403
    assert Screening.objects.count() == 0
