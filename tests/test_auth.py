import pytest

KEYS = {"API_KEYS": "alpha-key, beta-key ,"}
TEXTS = {"texts": ["Baku keeps its pipeline to Europe open."]}


@pytest.mark.parametrize("headers, status, challenge", [
    ({}, 401, 'Bearer realm="geostance"'),
    ({"Authorization": "Bearer"}, 401, 'Bearer realm="geostance"'),
    ({"Authorization": "Basic YWxwaGEta2V5Og=="}, 401, 'Bearer realm="geostance"'),
    ({"Authorization": "Bearer alpha"}, 401, 'error="invalid_token"'),
    ({"Authorization": "Bearer alpha-key-and-more"}, 401, 'error="invalid_token"'),
    ({"Authorization": "Bearer ключ"}, 401, 'error="invalid_token"'),
    ({"Authorization": "Bearer alpha-key"}, 200, None),
    ({"Authorization": "bearer  beta-key "}, 200, None),
])
def test_keys_guard_the_v1_api(make_client, headers, status, challenge):
    response = make_client(KEYS).post("/v1/classify", json=TEXTS, headers=headers)
    assert response.status_code == status
    if challenge:
        assert challenge in response.headers["WWW-Authenticate"]
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_keys_guard_every_v1_route_even_unknown_ones(make_client):
    client = make_client(KEYS)
    for method, path in [("GET", "/v1/model"), ("POST", "/v1/documents"), ("GET", "/v1/nothing")]:
        assert client.open(path, method=method).status_code == 401


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/openapi.json"])
def test_operations_endpoints_stay_open_with_keys(make_client, path):
    assert make_client(KEYS).get(path).status_code == 200


def test_without_keys_the_api_is_open(make_client):
    client = make_client({"API_KEYS": " , "})
    assert client.post("/v1/classify", json=TEXTS).status_code == 200
    assert client.get("/v1/model").status_code == 200


def test_openapi_declares_bearer_auth_only_when_keys_are_set(make_client):
    with_keys = make_client(KEYS).get("/openapi.json").get_json()
    assert with_keys["paths"]["/v1/classify"]["post"]["security"] == [{"bearer": []}]
    assert "401" in with_keys["paths"]["/v1/classify"]["post"]["responses"]
    without = make_client().get("/openapi.json").get_json()
    assert "security" not in without["paths"]["/v1/classify"]["post"]
