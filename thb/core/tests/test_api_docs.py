def test_the_openapi_schema_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/cases/" in paths
    assert "/api/v1/reports/figures/{year}" in paths


def test_the_api_docs_load_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    text = response.content.decode()
    assert "cdn." not in text
    assert "/static/ninja/swagger-ui-bundle.js" in text
