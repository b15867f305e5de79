"""The other-cost form offers exactly the providers the policy lets the user record
costs for: every provider to the funder, their own to a provider's caseworker."""

from django.urls import reverse


def _offered(client):
    response = client.get(reverse("support:other_cost_create"))
    assert response.status_code == 200
    return set(response.context["form"].fields["provider"].queryset)


def test_the_funder_may_choose_any_provider(client_for, welfare, provider, other_provider):
    assert _offered(client_for(welfare)) == {provider, other_provider}


def test_a_caseworker_only_their_own_institution(client_for, owner, provider, other_provider):
    assert _offered(client_for(owner)) == {provider}


def test_anyone_else_is_refused(client_for, outsider, coordinator):
    for user in (outsider, coordinator):
        assert client_for(user).get(reverse("support:other_cost_create")).status_code == 403
