"""Who sees what of a return plan: the owning provider's caseworkers everything; the
consular service the steps it answers for, by case code, never the identity nor the
other steps; another provider, the police and other reporters nothing. Reads are
audited; the API follows the same rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from thb.accounts.models import InstitutionKind, Role
from thb.audit.models import AuditEvent
from thb.core.registry import deadline_items
from thb.returns.services import PlanInput, StepInput, plan_save, step_save


@pytest.fixture
def plan(owner, abroad_case, consular, provider):
    plan = plan_save(actor=owner, case=abroad_case, data=PlanInput(from_country="GB"))
    step_save(
        actor=owner,
        plan=plan,
        data=StepInput(
            kind="documents",
            responsible_institution=consular,
            planned_on=date(2020, 6, 3),
            partner="Embassy of Latvia in London",
        ),
    )
    step_save(
        actor=owner,
        plan=plan,
        data=StepInput(
            kind="reception", responsible_institution=provider, planned_on=date(2020, 6, 9)
        ),
    )
    return plan


@pytest.mark.django_db
def test_the_consular_service_sees_its_steps_without_the_identity(client_for, consul, plan):
    code = plan.case.person.code
    client = client_for(consul, language="en")
    response = client.get("/returns/steps/")
    assert response.status_code == 200
    body = response.content.decode()
    assert code in body
    assert "identity documents restored" in body
    assert "Embassy of Latvia in London" in body
    assert "reception in Latvia" not in body  # not its step
    assert "Zelma" not in body and "Ābeltiņa" not in body
    read = AuditEvent.objects.filter(actor=consul, action="read").last()
    assert read is not None and code in read.details["codes"]
    # Not the plan itself, nor the case, nor the API.
    assert client.get(f"/returns/{code}/").status_code == 403
    assert client.get(f"/cases/{code}/").status_code in (403, 404)
    assert client.get(f"/api/v1/returns/{code}").status_code == 404


@pytest.mark.django_db
def test_another_provider_and_other_institutions_see_nothing(
    client_for, colleague, outsider, make_user, make_institution, plan
):
    code = plan.case.person.code
    other = client_for(colleague)
    assert other.get(f"/returns/{code}/").status_code == 404
    assert other.get(f"/returns/{code}/edit/").status_code == 404
    assert other.get(f"/api/v1/returns/{code}").status_code == 404
    assert other.get("/returns/steps/").status_code == 403
    assert client_for(outsider).get("/returns/steps/").status_code == 403
    pmlp = make_institution("pmlp", InstitutionKind.MIGRATION_OFFICE)
    migration = client_for(make_user("pmlp-reporter", Role.REPORTER, pmlp))
    listed = migration.get("/returns/steps/")
    assert listed.status_code == 200 and code not in listed.content.decode()
    with pytest.raises(PermissionDenied):
        plan_save(actor=colleague, case=plan.case, data=PlanInput(from_country="DE"))


@pytest.mark.django_db
def test_the_owner_reads_the_plan_through_the_api(client_for, owner, plan):
    code = plan.case.person.code
    response = client_for(owner).get(f"/api/v1/returns/{code}")
    assert response.status_code == 200
    data = response.json()
    assert data["from_country"] == "GB"
    assert {s["kind"] for s in data["steps"]} == {"documents", "reception"}
    assert AuditEvent.objects.filter(
        actor=owner, action="read", object_type="returns.returnplan"
    ).exists()


@pytest.mark.django_db
def test_planned_steps_past_their_day_are_deadlines_of_who_answers_for_them(
    owner, consul, colleague, plan
):
    today = timezone.localdate()
    horizon = today + timedelta(days=7)
    code = plan.case.person.code
    mine = deadline_items(actor=owner, today=today, horizon=horizon)
    assert [(i.reference, i.due_on) for i in mine if i.reference == code] == [
        (code, date(2020, 6, 3)),
        (code, date(2020, 6, 9)),
    ]
    consular = deadline_items(actor=consul, today=today, horizon=horizon)
    assert [(i.reference, i.due_on, i.url) for i in consular] == [
        (code, date(2020, 6, 3), "/returns/steps/")
    ]
    assert not [
        i
        for i in deadline_items(actor=colleague, today=today, horizon=horizon)
        if i.reference == code
    ]
    # Done: no longer due.
    step = plan.steps.get(kind="documents")
    step_save(
        actor=owner,
        plan=plan,
        data=StepInput(
            kind="documents",
            responsible_institution=step.responsible_institution,
            planned_on=step.planned_on,
            done_on=date(2020, 6, 4),
        ),
    )
    assert deadline_items(actor=consul, today=today, horizon=horizon) == []
