"""The API's interactive documentation (/api/v1/docs, Swagger UI as django-ninja
vendors it) passes the same axe-core check as THB's own pages: WCAG 2.1 A and AA, no
serious or critical violation, with every operation's panel opened. THB's template
(thb/templates/ninja/swagger.html) names the page's language and adds the contrast
fixes of thb/static/thb/swagger-a11y.css."""

from __future__ import annotations

from typing import Any

import pytest

from thb.accounts.models import Role
from thb.conftest import login
from thb.core.tests.test_browser_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_have_no_serious_axe_violation(page: Any, make_user: Any) -> None:
    make_user("reader", Role.COORDINATOR, "iem")
    page.set_default_timeout(60000)  # a loaded machine
    login(page, "reader")
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary", timeout=30000)
    assert page.locator("html").get_attribute("lang") == "en"
    problems = describe("/api/v1/docs", axe_violations(page))
    # An operation opened: its parameters, responses and "Try it out" button.
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body", timeout=30000)
    problems += describe("/api/v1/docs (an operation open)", axe_violations(page))
    assert not problems, "\n".join(problems)
