from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from thb.accounts.models import Institution
from thb.core.aggregates import aggregate_each, number


def test_number_prints_whole_amounts_as_int_and_nothing_as_zero():
    assert number(None) == 0
    assert number(Decimal("7400.00")) == 7400 and isinstance(number(Decimal("7400.00")), int)
    assert number(Decimal("10.50")) == 10.5
    assert number(3) == 3
    assert number(2.5) == 2.5


@pytest.mark.django_db
def test_aggregate_each_answers_every_key_in_one_query(django_assert_num_queries):
    Institution.objects.create(code="a", name="A", kind="court")
    Institution.objects.create(code="b", name="B", kind="court")
    Institution.objects.create(code="c", name="C", kind="ministry")
    with django_assert_num_queries(1):
        found = aggregate_each(
            Institution.objects.all(),
            {
                "courts.count": Count("id", filter=Q(kind="court")),
                "ministries.count": Count("id", filter=Q(kind="ministry")),
                "none.sum": Sum("id", filter=Q(kind="other")),
            },
        )
    assert found == {"courts.count": 2, "ministries.count": 1, "none.sum": None}
    assert aggregate_each(Institution.objects.all(), {}) == {}
