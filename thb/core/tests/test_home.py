from django.urls import reverse


def test_the_home_page_links_what_the_role_may_open(client_for, owner, coordinator):
    caseworker_home = client_for(owner).get(reverse("core:home")).content.decode()
    assert reverse("victims:case_list") in caseworker_home
    assert reverse("reports:statistics") not in caseworker_home
    coordinator_home = client_for(coordinator).get(reverse("core:home")).content.decode()
    assert reverse("reports:statistics") in coordinator_home
    assert reverse("victims:case_list") not in coordinator_home


def test_the_home_page_needs_a_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
