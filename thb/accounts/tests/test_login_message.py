"""The sign-in error in grammatical Latvian (issue 10, part 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_wrong_password_is_refused_in_grammatical_latvian(make_user: Any) -> None:
    """Django's own Latvian reads "ievadīt pareizu lietotājvārds"; THB's catalogue
    puts the words in the right case."""
    make_user("anna", "caseworker", "marta")
    page = Client().post("/accounts/login/", {"username": "anna", "password": "wrong"})
    text = page.content.decode()
    assert "pareizu lietotājvārdu un paroli" in text
    assert "pareizu lietotājvārds" not in text
