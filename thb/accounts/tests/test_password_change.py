"""Changing one's password: through the audited service, never logged in clear."""

from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.conftest import PASSWORD


def test_a_password_change_is_audited_and_the_user_stays_signed_in(client_for, owner):
    client = client_for(owner)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-horse-staple-9",
            "new_password2": "another-long-horse-staple-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    owner.refresh_from_db()
    assert owner.check_password("another-long-horse-staple-9")
    event = AuditEvent.objects.get(actor=owner, action="update", object_type="accounts.user")
    assert event.details == {"fields": "password"}
    assert "another-long-horse" not in str(event.details)
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_a_wrong_old_password_changes_nothing_and_audits_nothing(client_for, owner):
    response = client_for(owner).post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another-long-horse-staple-9",
            "new_password2": "another-long-horse-staple-9",
        },
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(actor=owner, object_type="accounts.user").exists()
