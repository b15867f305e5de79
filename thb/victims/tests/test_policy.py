"""The victim register's policy: who sees, edits and decides on a case, and the one
way an identity is decrypted. A page that reads an identity past `identity_for`
fails instead of leaking it."""

from datetime import date

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.test import override_settings
from django.urls import path

from thb import urls
from thb.accounts.models import Role
from thb.audit.models import AuditEvent
from thb.victims.models import Case, DecisionKind
from thb.victims.policy import CasePolicy, identity_for
from thb.victims.selectors import case_get_for_user
from thb.victims.services import case_route
from thb.victims.tests.factories import make_case


@pytest.fixture
def case(owner):
    return make_case(owner, given_names="Vaira", surname="Slēptvārde")


@pytest.fixture
def director(make_user, police):
    return make_user("director", Role.PROCESS_DIRECTOR, police)


@pytest.fixture
def member(make_user, provider):
    return make_user("member", Role.COMMISSION_MEMBER, provider)


def _identity_reads(user):
    return AuditEvent.objects.filter(actor=user, object_type="victims.personidentity")


class TestIdentityFor:
    def test_the_owner_gets_the_identity_and_the_read_is_audited(self, owner, case):
        identity = identity_for(owner, case)
        assert identity is not None and identity.surname == "Slēptvārde"
        assert _identity_reads(owner).count() == 1

    def test_the_process_director_of_the_proceeding_gets_it(self, owner, director, police, case):
        case_route(
            actor=owner,
            case=case,
            submitted_to_commission_on=None,
            proceeding_institution=police,
            proceeding_reference="12345678901",
        )
        identity = identity_for(director, case)
        assert identity is not None and identity.surname == "Slēptvārde"
        assert _identity_reads(director).count() == 1

    @pytest.mark.parametrize("who", ["colleague", "outsider", "coordinator", "auditor", "member"])
    def test_nobody_else_gets_it_and_nothing_is_decrypted(self, request, who, case):
        user = request.getfixturevalue(who)
        assert identity_for(user, case) is None
        assert not _identity_reads(user).exists()


class TestNoWayAroundThePolicy:
    def test_the_person_has_no_identity_attribute(self, case):
        person = Case.objects.get(pk=case.pk).person
        with pytest.raises(AttributeError):
            person.identity  # type: ignore[attr-defined]  # noqa: B018  (the access is the test)

    def test_a_template_reading_the_identity_shows_nothing(self, case):
        rendered = Template("{{ case.person.identity.surname }}").render(Context({"case": case}))
        assert "Slēptvārde" not in rendered

    def test_a_summary_view_that_skips_the_policy_fails_and_leaks_nothing(
        self, client_for, colleague, owner, case
    ):
        """The reviewer's 10-line `/cases/<code>/summary/` from issue 8, written the
        careless way: it opens the case and reads the identity straight from the person."""

        def summary(request: HttpRequest, code: str) -> HttpResponse:
            opened = Case.objects.select_related("person").get(person__code=code)
            return HttpResponse(opened.person.identity.surname)  # type: ignore[attr-defined]

        urlconf = type(
            "SummaryUrls",
            (),
            {"urlpatterns": [path("cases/<str:code>/summary/", summary), *urls.urlpatterns]},
        )
        with override_settings(ROOT_URLCONF=urlconf):
            client = client_for(colleague)
            client.raise_request_exception = True
            with pytest.raises(AttributeError):
                client.get(f"/cases/{case.person.code}/summary/")


class TestCasePolicy:
    def test_the_owner_edits_routes_and_decides_for_the_commission(self, owner, case):
        policy = CasePolicy(owner, case)
        assert policy.can_view and policy.can_edit and policy.can_route
        assert policy.decision_kinds == [DecisionKind.COMMISSION]
        assert policy.can_see_identity and policy.can_record_injured_party

    def test_a_colleague_elsewhere_has_no_right_at_all(self, colleague, case):
        policy = CasePolicy(colleague, case)
        assert not any(policy.as_dict().values()) and not policy.can_view

    def test_a_commission_member_sees_a_case_only_once_it_is_put_before_the_commission(
        self, owner, member, case
    ):
        assert not CasePolicy(member, case).can_view
        case_route(
            actor=owner,
            case=case,
            submitted_to_commission_on=date(2020, 3, 10),
            proceeding_institution=None,
            proceeding_reference="",
        )
        policy = CasePolicy(member, case)
        assert policy.can_view and policy.can_decide(DecisionKind.COMMISSION)
        assert not policy.can_edit and not policy.can_see_identity
        assert case_get_for_user(actor=member, code=case.person.code) == case

    def test_the_scope_and_the_object_rule_agree(self, owner, colleague, member, director, case):
        for user in (owner, colleague, member, director):
            scope = CasePolicy.scope(user)
            in_scope = scope is not None and Case.objects.filter(scope, pk=case.pk).exists()
            assert in_scope == CasePolicy(user, case).can_view, user.username

    def test_an_inactive_owner_has_no_right(self, owner, case):
        owner.is_active = False
        assert CasePolicy.scope(owner) is None
        assert not CasePolicy(owner, case).can_view


def test_only_the_policy_reads_identities_and_only_the_services_write_them():
    """Beyond the missing reverse accessor: no other module names the identity model, so
    a query that skips `identity_for` (`PersonIdentity.objects.get(...)`) cannot appear
    in a view, a selector, an export or another app without failing here."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    naming = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and "PersonIdentity" in path.read_text(encoding="utf-8")
    }
    assert naming == {"victims/models.py", "victims/policy.py", "victims/services.py"}
