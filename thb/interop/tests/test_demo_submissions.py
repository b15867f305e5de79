"""The demo's 2020 submissions show every state in the coordinator's overview."""

import pytest

from thb.accounts.models import Institution
from thb.interop.models import Submission, SubmissionStatus
from thb.interop.selectors import submission_is_locked


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_demo_has_accepted_submitted_and_returned_submissions():
    statuses = set(Submission.objects.filter(year=2020).values_list("status", flat=True))
    assert {
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.RETURNED,
    } <= statuses
    assert submission_is_locked(Institution.objects.get(code="vrs"), 2020)
    assert not submission_is_locked(Institution.objects.get(code="vrs"), 2021)
    late = Submission.objects.filter(year=2020, first_submitted_at__month=3)
    assert late.count() == 1
