import pytest


def test_explain_returns_sentences_and_spans_with_offsets(client):
    text = "Allied leaders condemned the strike on Kharkiv. They pledged more air defence for Ukraine."
    response = client.post("/v1/explain", json={"text": text})
    assert response.status_code == 200
    body = response.get_json()
    assert body["model"].startswith("tiny-") and body["task"] == "stance"
    assert body["label"] in ("balancing", "pro-Russia", "pro-West")
    assert 0 < body["probability"] <= 1
    assert [s["text"] for s in body["sentences"]] == ["Allied leaders condemned the strike on Kharkiv.",
                                                     "They pledged more air defence for Ukraine."]
    for piece in body["sentences"] + body["spans"]:
        assert text[piece["start"]:piece["end"]] == piece["text"]
    assert body["evaluations"] > len(body["sentences"])


def test_explain_accepts_other_tasks(client):
    body = client.post("/v1/explain", json={"text": "Markets rallied in Kyiv.", "task": "sentiment"}).get_json()
    assert body["task"] == "sentiment" and body["label"] in ("negative", "neutral", "positive")


@pytest.mark.parametrize("kwargs, status, fragment", [
    ({"json": {}}, 422, "field 'text' is required"),
    ({"json": {"text": ["a"]}}, 422, "field 'text' must be a string"),
    ({"json": {"text": " \n"}}, 422, "field 'text' is empty"),
    ({"json": {"text": "a" * 5001}}, 422, "the limit is 5000"),
    ({"json": {"text": "ok", "task": "topic"}}, 422, "field 'task' must be one of"),
    ({"json": {"text": "ok", "task": 3}}, 422, "field 'task' must be one of"),
    ({"json": ["ok"]}, 422, "JSON object"),
    ({"data": "{", "content_type": "application/json"}, 400, "not valid JSON"),
    ({"data": "text=ok", "content_type": "text/plain"}, 415, "Content-Type"),
])
def test_bad_explain_requests_get_json_errors(client, kwargs, status, fragment):
    response = client.post("/v1/explain", **kwargs)
    assert response.status_code == status
    assert fragment in response.get_json()["error"]["message"]


def test_explain_limit_is_configurable(model_dir, classifier):
    from service.app import create_app

    app = create_app({"MODEL_DIR": str(model_dir), "TESTING": True, "MAX_EXPLAIN_CHARS": 10}, classifier=classifier)
    response = app.test_client().post("/v1/explain", json={"text": "eleven char"})
    assert response.status_code == 422 and "the limit is 10" in response.get_json()["error"]["message"]
