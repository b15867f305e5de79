"""The review queue's page and API show one page of pairs and page through all of
them by cursor, in a number of queries that does not grow with the pairs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thb.core.tests.lists import every_row, queries_of
from thb.linkage.models import LinkCandidate
from thb.linkage.tests.test_linkage import _case

pytestmark = pytest.mark.django_db


def _pairs(marta, drosa_maja, count: int, start: int = 0) -> list[int]:
    """`count` pairs of the two providers' cases, the likeliest first (as a linkage
    run writes them: tests make them directly, the run's matching is tested apart)."""
    made = []
    for index in range(start, start + count):
        own = _case(marta, "Anna", f"Ozola{index}", None, decided=None)
        other = _case(drosa_maja, "Anna", f"Ozola{index}", None, decided=None)
        made.append(
            LinkCandidate.objects.create(
                case_a=own, case_b=other, score=0.99 - index / 100, matched=["surname"]
            ).pk
        )
    return made


@pytest.mark.parametrize("url", [reverse("linkage:list"), "/api/v1/linkage/candidates"])
def test_the_queue_reads_in_constantqueries_of(owner, colleague, client_for, url):
    client = client_for(owner)
    _pairs(owner, colleague, 2)
    small = queries_of(client, url)
    _pairs(owner, colleague, 8, start=2)
    assert queries_of(client, url) == small


def test_every_pair_is_reached_page_by_page(owner, colleague, client_for, settings):
    settings.THB_PAGE_SIZE = 3
    pairs = _pairs(owner, colleague, 7)
    for user in (owner, colleague):  # each side pages its own view of the same queue
        client = client_for(user)
        page = client.get(reverse("linkage:list")).content.decode()
        assert 'rel="next"' in page
        assert sum(f'href="{reverse("linkage:detail", args=[pk])}"' in page for pk in pairs) == 3
        assert every_row(client, "/api/v1/linkage/candidates", "id", most=7) == pairs
