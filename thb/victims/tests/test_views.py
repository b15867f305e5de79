"""The register's pages, for the owner, a colleague at another institution and an
outsider; and the coordinator, who sees statistics but never a case."""

from datetime import date

import pytest
from django.urls import reverse

from thb.accounts.models import Role
from thb.audit.models import AuditEvent
from thb.victims.models import Case, CaseStatus, Person
from thb.victims.policy import identity_for
from thb.victims.tests.factories import make_case


@pytest.fixture
def case(owner):
    return make_case(owner, given_names="Vaira", surname="Testvārde")


def _detail(case):
    return reverse("victims:case_detail", args=[case.person.code])


class TestCaseList:
    def test_it_lists_the_owners_cases(self, client_for, owner, case):
        response = client_for(owner).get(reverse("victims:case_list"))
        assert response.status_code == 200
        assert case.person.code in response.content.decode()

    def test_it_hides_them_from_a_colleague(self, client_for, colleague, case):
        response = client_for(colleague).get(reverse("victims:case_list"))
        assert response.status_code == 200
        assert case.person.code not in response.content.decode()

    def test_it_refuses_an_outsider_and_the_coordinator(self, client_for, outsider, coordinator):
        assert client_for(outsider).get(reverse("victims:case_list")).status_code == 403
        assert client_for(coordinator).get(reverse("victims:case_list")).status_code == 403

    def test_it_filters_by_status_and_citizenship(self, client_for, owner):
        lv = make_case(owner, citizenship="LV")
        tj = make_case(owner, citizenship="TJ", sex="male")
        page = client_for(owner).get(reverse("victims:case_list"), {"citizenship": "TJ"})
        text = page.content.decode()
        assert tj.person.code in text and lv.person.code not in text
        page = client_for(owner).get(reverse("victims:case_list"), {"status": "recognised"})
        assert lv.person.code not in page.content.decode()

    def test_it_counts_the_cases_up_to_a_bound(self, client_for, owner, settings):
        for citizenship in ("LV", "TJ", "UZ"):
            make_case(owner, citizenship=citizenship)
        client = client_for(owner)

        def caption() -> str:
            text = client.get(reverse("victims:case_list")).content.decode()
            return text.split("<caption", 1)[1].split("</caption>", 1)[0]

        assert ">3 " in caption() and "more" not in caption() and "vairāk" not in caption()
        settings.THB_LIST_COUNT_MAX = 2
        assert ">more than 2 cases" in caption() or ">vairāk nekā 2 gadījumi" in caption()
        settings.THB_LIST_COUNT_MAX = 3
        assert ">3 " in caption()

    def test_its_filters_keep_their_choices_and_selection(self, client_for, owner):
        text = client_for(owner).get(
            reverse("victims:case_list"), {"citizenship": "TJ", "status": "recognised"}
        )
        page = text.content.decode()
        assert '<option value="TJ" selected>' in page
        assert '<option value="recognised" selected>' in page
        assert page.count('<option value="LV"') == 1 and '<option value="labour"' in page

    def test_it_redirects_anonymous_users_to_login(self, client):
        response = client.get(reverse("victims:case_list"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


class TestCaseDetail:
    def test_the_owner_sees_the_identity_and_the_read_is_audited(self, client_for, owner, case):
        response = client_for(owner).get(_detail(case))
        assert response.status_code == 200
        assert "Testvārde" in response.content.decode()
        reads = AuditEvent.objects.filter(action="read", actor=owner)
        assert reads.filter(object_type="victims.case", object_id=str(case.pk)).exists()
        assert reads.filter(object_type="victims.personidentity").exists()

    def test_a_colleague_gets_404(self, client_for, colleague, case):
        assert client_for(colleague).get(_detail(case)).status_code == 404

    def test_an_outsider_gets_404(self, client_for, outsider, case):
        assert client_for(outsider).get(_detail(case)).status_code == 404

    def test_the_coordinator_never_sees_a_case(self, client_for, coordinator, case):
        response = client_for(coordinator).get(_detail(case))
        assert response.status_code == 404
        assert b"Testv" not in response.content

    def test_a_commission_member_sees_only_cases_put_before_the_commission(
        self, client_for, make_user, provider, case
    ):
        member = make_user("member", Role.COMMISSION_MEMBER, provider)
        assert client_for(member).get(_detail(case)).status_code == 404
        Case.objects.filter(pk=case.pk).update(submitted_to_commission_on=date(2020, 3, 5))
        response = client_for(member).get(_detail(case))
        assert response.status_code == 200
        assert "Testvārde" not in response.content.decode()  # no identity for members

    def test_a_process_director_sees_the_victims_of_its_proceedings(
        self, client_for, make_user, police, owner, case
    ):
        director = make_user("director", Role.PROCESS_DIRECTOR, police)
        assert client_for(director).get(_detail(case)).status_code == 404
        client_for(owner).post(
            reverse("victims:case_routing", args=[case.person.code]),
            {
                "route": "1",
                "route-proceeding_institution": police.pk,
                "route-proceeding_reference": "11816000120",
            },
        )
        assert client_for(director).get(_detail(case)).status_code == 200


def _intake_post(**changes):
    data = {
        "intake_date": "2020-04-01",
        "referral_channel": "state_police",
        "given_names": "Marta",
        "surname": "Formvārde",
        "sex": "female",
        "citizenship": "LV",
        "age_at_identification": "24",
        "education": "secondary",
        "exploitation_forms": ["sexual"],
        "labour_sector": "",
        "recruitment_method": "internet",
        "place_1_country": "LV",
        "place_1_region": "riga",
    }
    data.update(changes)
    return data


class TestCaseCreate:
    def test_the_caseworker_records_an_intake(self, client_for, owner):
        client = client_for(owner, "en")
        url = reverse("victims:case_create")
        # Check your answers first: the answers with "Change" links, nothing saved yet.
        review = client.post(url, _intake_post())
        assert review.status_code == 200
        page = review.content.decode()
        assert "Check the intake before recording it" in page
        assert "Formvārde" in page and f'href="{url}?change#id_surname"' in page
        assert Person.objects.count() == 0
        # "Change" returns to the form with the answers held in the session.
        change = client.get(url + "?change")
        assert change.context["form"]["surname"].value() == "Formvārde"
        assert Person.objects.count() == 0
        response = client.post(url, {"step": "confirm"})
        assert response.status_code == 302
        case = Case.objects.get()
        # The answers leave the session with the confirm.
        assert "draft:intake" not in client.session
        assert response["Location"] == _detail(case)
        assert case.referral_channel == "state_police"
        assert case.places.get().region == "riga"
        assert getattr(identity_for(owner, case), "surname", None) == "Formvārde"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"intake_date": ""}, "intake_date"),
            ({"intake_date": "2999-01-01"}, "intake_date"),
            ({"referral_channel": "carrier_pigeon"}, "referral_channel"),
            ({"exploitation_forms": ["juggling"]}, "exploitation_forms"),
            ({"place_1_country": "DE", "place_1_region": "riga"}, "place_1_country"),
        ],
    )
    def test_bad_input_names_the_field_and_saves_nothing(self, client_for, owner, changes, field):
        response = client_for(owner).post(reverse("victims:case_create"), _intake_post(**changes))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert f'id="id_{field}_error"' in response.content.decode()
        assert Person.objects.count() == 0

    @pytest.mark.parametrize(("language", "shown"), [("lv", "1.04.2020."), ("en", "01/04/2020")])
    def test_the_answers_show_dates_as_the_pages_do(self, client_for, owner, language, shown):
        client = client_for(owner, language)
        page = client.post(reverse("victims:case_create"), _intake_post()).content.decode()
        assert shown in page

    def test_cancel_drops_the_answers_and_saves_nothing(self, client_for, owner):
        client = client_for(owner)
        url = reverse("victims:case_create")
        assert client.post(url, _intake_post()).status_code == 200
        assert "draft:intake" in client.session
        assert client.post(url, {"step": "cancel"}).status_code == 302
        assert "draft:intake" not in client.session
        # A confirm without answers held saves nothing either.
        assert client.post(url, {"step": "confirm"}).status_code == 302
        assert Person.objects.count() == 0

    def test_nothing_is_preselected_that_the_user_must_decide(self, client_for, owner):
        form = client_for(owner).get(reverse("victims:case_create")).context["form"]
        for name in ("sex", "education", "recruitment_method", "referral_channel"):
            assert form[name].value() in (None, ""), name
            assert form.fields[name].required, name
        response = client_for(owner).post(reverse("victims:case_create"), _intake_post(sex=""))
        assert "sex" in response.context["form"].errors

    def test_others_cannot_record_an_intake(self, client_for, coordinator, outsider):
        for user in (coordinator, outsider):
            assert client_for(user).get(reverse("victims:case_create")).status_code == 403


class TestDecision:
    def test_the_owner_records_a_commission_decision(self, client_for, owner, case, post_confirmed):
        response = post_confirmed(
            client_for(owner),
            reverse("victims:case_decision", args=[case.person.code]),
            {
                "kind": "commission",
                "decided_on": "2020-03-20",
                "recognised": "yes",
                "criteria_met": ["purpose_exploitation", "means_deception"],
                "members": "Chair\nPsychologist",
            },
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == CaseStatus.RECOGNISED

    def test_a_decision_without_members_is_refused(self, client_for, owner, case):
        response = client_for(owner).post(
            reverse("victims:case_decision", args=[case.person.code]),
            {
                "kind": "commission",
                "decided_on": "2020-03-20",
                "recognised": "yes",
                "criteria_met": ["purpose_exploitation"],
                "members": "",
            },
        )
        assert response.status_code == 200
        assert "members" in response.context["form"].errors
        case.refresh_from_db()
        assert case.status == CaseStatus.POTENTIAL

    def test_a_colleague_gets_404(self, client_for, colleague, case):
        url = reverse("victims:case_decision", args=[case.person.code])
        assert client_for(colleague).get(url).status_code == 404


class TestProfileEdit:
    def test_the_owner_edits_the_profile(self, client_for, owner, case):
        url = reverse("victims:case_profile_edit", args=[case.person.code])
        page = client_for(owner).get(url)
        assert page.status_code == 200
        data = _intake_post(
            exploitation_forms=["labour"], labour_sector="cleaning", surname="Jaunvārde"
        )
        response = client_for(owner).post(url, data)
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.primary_form == "labour"
        assert case.forms.get().sector == "cleaning"
        assert getattr(identity_for(owner, case), "surname", None) == "Jaunvārde"

    def test_a_process_director_cannot_edit(self, client_for, make_user, police, owner, case):
        director = make_user("director", Role.PROCESS_DIRECTOR, police)
        Case.objects.filter(pk=case.pk).update(
            proceeding_institution=police, proceeding_reference="1"
        )
        url = reverse("victims:case_profile_edit", args=[case.person.code])
        assert client_for(director).get(url).status_code == 403


def test_the_filters_update_the_list_in_place_with_htmx(client_for, owner):
    make_case(owner, citizenship="TJ", sex="male")
    response = client_for(owner).get(
        reverse("victims:case_list"), {"citizenship": "TJ"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="case-results"' in text
    assert 'hx-select="#case-results"' in text
