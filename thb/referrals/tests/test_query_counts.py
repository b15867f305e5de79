"""The referrals page and API read one page of referrals (and of anonymous
notifications) in a number of queries that does not grow with them, and page through
every one of them by cursor: nothing is cut off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from thb.core.tests.lists import every_row, queries_of
from thb.referrals.services import NotificationDetails, notification_send

pytestmark = pytest.mark.django_db


def _notify(officer, count: int) -> list[str]:
    today = timezone.localdate()
    return [
        notification_send(
            actor=officer,
            details=NotificationDetails(notified_on=today - timedelta(days=i), sex="male"),
        ).reference
        for i in range(count)
    ]


@pytest.mark.parametrize("url", [reverse("referrals:list"), "/api/v1/referrals/"])
def test_the_referrals_read_in_constantqueries_of(send, officer, owner, client_for, url):
    for user in (officer, owner):
        client = client_for(user)
        for days in range(2):
            send(days_ago=days)
        _notify(officer, 2)
        small = queries_of(client, url)
        for days in range(8):
            send(days_ago=days)
        _notify(officer, 8)
        assert queries_of(client, url) == small, user


def test_every_referral_is_reached_page_by_page(send, officer, owner, client_for, settings):
    settings.THB_PAGE_SIZE = 3
    sent = [send(days_ago=days).reference for days in range(8)]  # the newest first
    client = client_for(owner)
    page = client.get(reverse("referrals:list")).content.decode()
    assert [reference in page for reference in sent] == [True] * 3 + [False] * 5
    assert 'rel="next"' in page
    assert every_row(client, "/api/v1/referrals/", "reference", most=8) == sent
    assert client.get("/api/v1/referrals/?cursor=nonsense").status_code == 422


def test_the_notifications_page_with_their_own_cursor(officer, send, client_for, settings):
    settings.THB_PAGE_SIZE = 2
    referrals = [send(days_ago=days).reference for days in range(3)]
    notified = _notify(officer, 5)
    client = client_for(officer)
    first = client.get(reverse("referrals:list"))
    body = first.content.decode()
    assert [reference in body for reference in notified] == [True, True, False, False, False]
    # The notifications' next page keeps the referrals' page and moves only its own.
    following = first.context["notifications_pager"]["next"]
    assert "notifications=" in following and "cursor=" not in following
    body = client.get(following).content.decode()
    assert [reference in body for reference in notified] == [False, False, True, True, False]
    assert [reference in body for reference in referrals] == [True, True, False]
