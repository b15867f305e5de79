"""Pages, each with its personas: the owner (a border-guard reporter), a reporter of
another institution, an outsider (a caseworker) and the coordinator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thb.interop import services
from thb.interop.models import Submission, SubmissionStatus
from thb.interop.registry import get_import_type
from thb.interop.templates_files import example_csv
from thb.victims.models import Case


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def submitted(reporter):
    submission = services.submission_start(actor=reporter, year=2020)
    services.submission_save_texts(
        actor=reporter,
        submission=submission,
        texts={"detection": {"lv": "Pārbaudes", "en": "Checks"}},
    )
    return services.submission_submit(actor=reporter, submission=submission)


# My submission


def test_the_reporter_writes_and_submits_the_narrative(client_for, reporter):
    url = reverse("interop:my_submission", args=[2020])
    response = client_for(reporter).post(
        url, {"detection_lv": "Veiktas pārbaudes", "detection_en": "", "action": "submit"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get(institution=reporter.institution, year=2020)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.sections.get(section="detection").texts["lv"] == "Veiktas pārbaudes"


def test_submitting_shows_a_too_long_text_and_the_missing_latvian_text_in_one_round(
    client_for, reporter
):
    """An English text beyond the profile's limit (the field's own check) and no Latvian
    text at all (the service's rule of sending) are reported together; nothing is saved."""
    url = reverse("interop:my_submission", args=[2020])
    response = client_for(reporter, language="en").post(
        url, {"detection_lv": "", "detection_en": "x" * 50001, "action": "submit"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"detection_en", "__all__"}
    body = response.content.decode()
    assert "Enter at most" in body
    assert "Write the text of at least one report section in the country" in body
    assert "language (Latvian)." in body  # the profile's first language, by its name
    assert not Submission.objects.filter(institution=reporter.institution).exists()


def test_the_page_shows_the_comment_of_a_returned_submission(
    client_for, reporter, submitted, coordinator
):
    services.submission_return(actor=coordinator, submission=submitted, comment="Papildiniet")
    body = client_for(reporter).get(reverse("interop:my_submission", args=[2020])).content.decode()
    assert "Papildiniet" in body and 'name="detection_lv"' in body


def test_an_accepted_submission_cannot_be_edited(client_for, reporter, submitted, coordinator):
    services.submission_accept(actor=coordinator, submission=submitted)
    client = client_for(reporter)
    url = reverse("interop:my_submission", args=[2020])
    body = client.get(url).content.decode()
    assert 'name="detection_lv"' not in body and 'id="locked"' in body
    response = client.post(url, {"detection_lv": "Cits", "action": "save"})
    assert response.status_code == 403
    assert submitted.sections.get(section="detection").texts["lv"] == "Pārbaudes"


def test_another_reporter_sees_only_their_own_submission(client_for, other_reporter, submitted):
    body = (
        client_for(other_reporter)
        .get(reverse("interop:my_submission", args=[2020]))
        .content.decode()
    )
    assert "Pārbaudes" not in body


def test_an_outsider_has_no_submission_page(client_for, owner):
    assert client_for(owner).get(reverse("interop:my_submission", args=[2020])).status_code == 403


# Overview and review


def test_the_coordinator_sees_the_overview(client_for, coordinator, submitted, other_reporter):
    body = client_for(coordinator).get(reverse("interop:overview") + "?year=2020").content.decode()
    assert "Valsts robežsardze" in body and "Valsts darba inspekcija" in body


@pytest.mark.parametrize("persona", ["reporter", "other_reporter", "owner"])
def test_the_overview_is_for_the_coordinator_only(client_for, request, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("interop:overview")).status_code == 403


def test_the_coordinator_returns_and_accepts(client_for, coordinator, submitted):
    client = client_for(coordinator)
    url = reverse("interop:review", args=[submitted.pk])
    assert "Pārbaudes" in client.get(url).content.decode()
    response = client.post(url, {"action": "return", "comment": ""})
    assert response.status_code == 200  # the comment is required
    client.post(url, {"action": "return", "comment": "Lūdzu papildināt"})
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.RETURNED


@pytest.mark.parametrize(
    ("persona", "status"), [("reporter", 403), ("other_reporter", 403), ("owner", 403)]
)
def test_the_review_page_is_for_the_coordinator_only(
    client_for, request, submitted, persona, status
):
    user = request.getfixturevalue(persona)
    url = reverse("interop:review", args=[submitted.pk])
    assert client_for(user).post(url, {"action": "accept"}).status_code == status
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED


# Upload


def test_the_upload_page_lists_only_the_types_of_the_role(client_for, owner):
    body = client_for(owner).get(reverse("interop:upload")).content.decode()
    assert reverse("interop:template_csv", args=["victim_cases"]) in body


def test_a_reporter_does_not_see_the_victim_case_type(client_for, reporter):
    response = client_for(reporter).get(reverse("interop:upload"))
    if response.status_code == 200:
        assert "victim_cases" not in response.content.decode()
    response = client_for(reporter).get(reverse("interop:template_csv", args=["victim_cases"]))
    assert response.status_code == 404


def test_a_role_without_import_types_is_refused(client_for, auditor):
    assert client_for(auditor).get(reverse("interop:upload")).status_code == 403


def test_the_templates_download(client_for, owner):
    client = client_for(owner)
    csv_response = client.get(reverse("interop:template_csv", args=["victim_cases"]))
    assert csv_response.content.decode().startswith("# THB import: victim_cases")
    xlsx_response = client.get(reverse("interop:template_xlsx", args=["victim_cases"]))
    assert xlsx_response.content[:2] == b"PK"


def test_an_upload_runs_as_a_job_and_its_page_shows_the_result(client_for, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cases.csv", example_csv(get_import_type("victim_cases")).encode())
    client = client_for(owner, language="en")
    response = client.post(
        reverse("interop:upload"), {"import_type": "victim_cases", "file": upload}
    )
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert 'id="import-result"' in body and "Imported 1 rows: 1 new" in body
    assert Case.objects.filter(institution=owner.institution).count() == 1


def test_an_upload_with_a_bad_row_lists_the_error_and_saves_nothing(client_for, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "cases.csv", b"external_id,intake_date,referral_channel\nA1,2020-01-01,nobody\n"
    )
    client = client_for(owner)
    response = client.post(
        reverse("interop:upload"), {"import_type": "victim_cases", "file": upload}
    )
    body = _body(client.get(response["Location"]))
    assert "referral_channel" in body and "nobody" in body
    assert Case.objects.count() == 0


def test_the_pages_speak_latvian_and_english(client_for, reporter):
    client = client_for(reporter)
    url = reverse("interop:my_submission", args=[2020])
    assert "Gada iesniegums" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    body = client.get(url).content.decode()
    assert "Yearly submission" in body and "Detection and control activities" in body
