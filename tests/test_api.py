import pytest


def test_classify_returns_both_tasks_in_input_order(client, classifier):
    texts = ["Allied leaders condemned the strike on Kharkiv.", "Kazakhstan keeps friends in every direction."]
    response = client.post("/v1/classify", json={"texts": texts})
    assert response.status_code == 200
    body = response.get_json()
    assert body["model"].startswith("tiny-")
    expected = classifier.predict(texts)
    for result, labels in zip(body["results"], expected):
        assert result["stance"]["label"] == labels["stance"]
        assert set(result["stance"]["scores"]) == {"balancing", "pro-Russia", "pro-West"}
        assert set(result["sentiment"]["scores"]) == {"negative", "neutral", "positive"}
        assert abs(sum(result["stance"]["scores"].values()) - 1) < 1e-4


def test_health_ready_and_model(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    model = client.get("/v1/model").get_json()
    assert model["tasks"]["stance"] == ["balancing", "pro-Russia", "pro-West"]
    assert model["metrics"]["dev"]["stance"]["accuracy"] == 1.0


@pytest.mark.parametrize("kwargs, status, fragment", [
    ({"data": "{bad", "content_type": "application/json"}, 400, "not valid JSON"),
    ({"data": "texts=a", "content_type": "text/plain"}, 415, "Content-Type"),
    ({"json": ["a"]}, 422, "JSON object"),
    ({"json": {}}, 422, "'texts' is required"),
    ({"json": {"texts": "one"}}, 422, "must be a list"),
    ({"json": {"texts": []}}, 422, "is empty"),
    ({"json": {"texts": ["ok", 3]}}, 422, "texts[1] must be a string"),
    ({"json": {"texts": ["ok", "  "]}}, 422, "texts[1] is empty"),
    ({"json": {"texts": ["a"] * 65}}, 422, "limit is 64"),
])
def test_bad_requests_get_json_errors(client, kwargs, status, fragment):
    response = client.post("/v1/classify", **kwargs)
    assert response.status_code == status
    assert response.is_json
    assert fragment in response.get_json()["error"]["message"]


def test_unknown_route_and_wrong_method_are_json(client):
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong = client.get("/v1/classify")
    assert wrong.status_code == 405 and "POST" in wrong.headers["Allow"]


def test_document_paragraphs_carry_offsets_into_the_original(client):
    from tests.test_paragraphs import ARTICLE

    body = client.post("/v1/documents", json={"text": ARTICLE}).get_json()
    paragraphs = body["paragraphs"]
    assert len(paragraphs) == 4
    for p in paragraphs:
        assert " ".join(ARTICLE[p["start"]:p["end"]].split()) == p["text"]
        assert p["stance"]["label"] in ("balancing", "pro-Russia", "pro-West")
    summary = body["summary"]
    assert summary["paragraphs"] == 4
    assert abs(sum(summary["stance"]["share"].values()) - 1) < 1e-3
    assert summary["stance"]["path"][0]["from"] == 0 and summary["stance"]["path"][-1]["to"] == 3
    assert summary["stance"]["dominant"] in summary["stance"]["share"]


@pytest.mark.parametrize("payload, fragment", [
    ({}, "'text' is required"), ({"text": 5}, "must be a string"), ({"text": " \n "}, "is empty"),
])
def test_bad_documents_get_422(client, payload, fragment):
    response = client.post("/v1/documents", json=payload)
    assert response.status_code == 422 and fragment in response.get_json()["error"]["message"]
