"""The support API uses the same access helpers as the pages."""

import json


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_owner_reads_and_logs_through_the_api(client_for, owner, plan):
    client = client_for(owner)
    data = {
        "delivered_on": "2020-03-10",
        "service": "lawyer",
        "specialist_role": "lawyer",
        "hours": "1",
        "cost_eur": "40",
    }
    assert _post(client, "/api/v1/support/plans/ABC234/services", data).status_code == 201
    body = client.get("/api/v1/support/plans/ABC234").json()
    assert body["totals"]["cost_total"] == "40.00"
    refused = _post(
        client, "/api/v1/support/plans/ABC234/services", {**data, "delivered_on": "2020-01-01"}
    )
    assert refused.status_code == 422
    assert "delivered_on" in refused.json()["detail"]


def test_a_colleague_gets_404_and_an_outsider_no_funding(client_for, colleague, outsider, plan):
    assert client_for(colleague).get("/api/v1/support/plans/ABC234").status_code == 404
    assert client_for(outsider).get("/api/v1/support/funding/2020").status_code == 403
