import json

import pytest

from geostance.windows import split_windows


def post_raw(client, path, body, content_type="application/json"):
    return client.post(path, data=body, content_type=content_type)


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


BAD_REQUESTS = [
    # (method, path, raw body or None, content type, status, error code, message fragment)
    ("POST", "/v1/classify", "{bad", "application/json", 400, "bad_request", "not valid JSON"),
    ("POST", "/v1/classify", b'{"texts": ["\xff"]}', "application/json", 400, "bad_request", "utf-8"),
    ("POST", "/v1/classify", "[" * 2000 + "]" * 2000, "application/json", 400, "bad_request", "nested too deeply"),
    ("POST", "/v1/classify", "", "application/json", 400, "bad_request", "not valid JSON"),
    ("POST", "/v1/classify", "texts=a", "text/plain", 415, "unsupported_media_type", "Content-Type"),
    ("POST", "/v1/classify", "texts=a", None, 415, "unsupported_media_type", "none"),
    ("POST", "/v1/classify", "x" * 5000, "application/json", 413, "payload_too_large", "limit of 4096 bytes"),
    ("POST", "/v1/classify", '["a"]', "application/json", 422, "invalid_input", "JSON object, got array"),
    ("POST", "/v1/classify", "null", "application/json", 422, "invalid_input", "JSON object, got null"),
    ("POST", "/v1/classify", "{}", "application/json", 422, "invalid_input", "'texts' is required"),
    ("POST", "/v1/classify", '{"texts": "one"}', "application/json", 422, "invalid_input", "must be an array"),
    ("POST", "/v1/classify", '{"texts": []}', "application/json", 422, "invalid_input", "'texts' is empty"),
    ("POST", "/v1/classify", '{"texts": ["ok", 3]}', "application/json", 422, "invalid_input", "texts[1] must be a string, got number"),
    ("POST", "/v1/classify", '{"texts": ["ok", null]}', "application/json", 422, "invalid_input", "texts[1] must be a string, got null"),
    ("POST", "/v1/classify", '{"texts": ["ok", "  \\n\\t"]}', "application/json", 422, "invalid_input", "texts[1] is empty"),
    ("POST", "/v1/classify", '{"texts": ["ok", ""]}', "application/json", 422, "invalid_input", "texts[1] is empty"),
    ("POST", "/v1/classify", json.dumps({"texts": ["a"] * 9}), "application/json", 422, "invalid_input", "limit is 8 per request"),
    ("POST", "/v1/classify", json.dumps({"texts": ["a", "b" * 501]}), "application/json", 422, "invalid_input", "texts[1] has 501 characters; the limit is 500"),
    ("POST", "/v1/documents", "{}", "application/json", 422, "invalid_input", "'text' is required"),
    ("POST", "/v1/documents", '{"text": 5}', "application/json", 422, "invalid_input", "'text' must be a string, got number"),
    ("POST", "/v1/documents", '{"text": ["a"]}', "application/json", 422, "invalid_input", "'text' must be a string, got array"),
    ("POST", "/v1/documents", '{"text": " \\n "}', "application/json", 422, "invalid_input", "'text' is empty"),
    ("POST", "/v1/documents", json.dumps({"text": "word " * 300}), "application/json", 422, "invalid_input", "'text' has 1500 characters; the limit is 1000"),
    ("POST", "/v1/documents", json.dumps({"text": "\n\n".join(["A paragraph of plain words that stands alone."] * 6)}),
     "application/json", 422, "invalid_input", "'text' splits into 6 paragraphs; the limit is 5"),
    ("POST", "/v1/documents", "text", "text/plain", 415, "unsupported_media_type", "Content-Type"),
    ("GET", "/v1/nothing", None, None, 404, "not_found", "not found"),
    ("GET", "/nothing", None, None, 404, "not_found", "not found"),
    ("GET", "/v1/classify", None, None, 405, "method_not_allowed", "not allowed"),
    ("DELETE", "/v1/documents", None, None, 405, "method_not_allowed", "not allowed"),
    ("POST", "/v1/model", None, None, 405, "method_not_allowed", "not allowed"),
]
LIMITS = {"MAX_CONTENT_LENGTH": 4096, "MAX_TEXTS": 8, "MAX_TEXT_CHARS": 500,
          "MAX_DOCUMENT_CHARS": 1000, "MAX_DOCUMENT_PARAGRAPHS": 5}


@pytest.mark.parametrize("method, path, body, content_type, status, code, fragment", BAD_REQUESTS)
def test_every_bad_request_gets_its_json_error(make_client, method, path, body, content_type, status, code, fragment):
    client = make_client(LIMITS)
    response = client.open(path, method=method, data=body, content_type=content_type)
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code
    assert fragment.lower() in error["message"].lower()
    if status == 405:
        assert response.headers["Allow"]


UNICODE_TEXTS = [
    "Москва приветствует решение Баку.",
    "ירושלים ותהרן מגיבות להסכם.",
    "التقى الوزير بنظيره الروسي في موسكو.",
    "Allies 🇺🇦🇪🇺 pledged more aid 💪🔥",
    "tab\there\x00null\x07bell\x1bescape",
    "\u202eright-to-left override\u202c and zero\u200bwidth",
    "\ufeff",
    "\x00",
    "a\ud800lone high surrogate",
    "\udc00",
    "combining e\u0301\u0301\u0301 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]


@pytest.mark.parametrize("text", UNICODE_TEXTS)
def test_unicode_of_every_kind_is_classified(client, text):
    # json.dumps escapes lone surrogates as \ud800, exactly what a client's JSON can carry.
    response = post_raw(client, "/v1/classify", json.dumps({"texts": [text]}))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["results"][0]["windows"] == 1
    document = post_raw(client, "/v1/documents", json.dumps({"text": f"{text}\n\nSecond paragraph, {text}."}))
    assert document.status_code == 200, document.get_data(as_text=True)


def test_document_paragraphs_carry_offsets_into_the_original(client):
    from tests.test_paragraphs import ARTICLE

    body = client.post("/v1/documents", json={"text": ARTICLE}).get_json()
    paragraphs = body["paragraphs"]
    assert len(paragraphs) == 4
    covered = ""
    for i, p in enumerate(paragraphs):
        assert p["index"] == i
        assert " ".join(ARTICLE[p["start"]:p["end"]].split()) == p["text"]
        assert p["stance"]["label"] in ("balancing", "pro-Russia", "pro-West")
        assert p["windows"] == 1
        covered += ARTICLE[p["start"]:p["end"]]
    assert "".join(covered.split()) == "".join(ARTICLE.split())
    summary = body["summary"]
    assert summary["paragraphs"] == 4
    assert summary["characters"] == sum(p["end"] - p["start"] for p in paragraphs)
    assert abs(sum(summary["stance"]["share"].values()) - 1) < 1e-3
    assert summary["stance"]["path"][0]["from"] == 0 and summary["stance"]["path"][-1]["to"] == 3
    assert summary["stance"]["dominant"] in summary["stance"]["share"]


def test_document_offsets_survive_unicode_and_windows_line_endings(client):
    text = "Заголовок\r\n\r\nПервый абзац о переговорах в Баку 🇦🇿, которые продолжатся завтра утром.\r\n\r\n" \
           "שני: Tbilisi says its European path is irreversible, whatever the ruling party says in public."
    paragraphs = client.post("/v1/documents", json={"text": text}).get_json()["paragraphs"]
    for p in paragraphs:
        assert " ".join(text[p["start"]:p["end"]].split()) == p["text"]
    assert paragraphs[-1]["end"] == len(text)


def test_a_long_paragraph_is_classified_over_several_windows(client, classifier):
    sentence = "Ministers in Tbilisi, Baku and Yerevan weighed pipelines, sanctions and security guarantees. "
    text = sentence * 60
    tokens = len(classifier.tokenizer(text, add_special_tokens=False)["input_ids"])
    expected = len(split_windows(list(range(tokens)), classifier.settings["max_length"] - 2,
                                 classifier.settings["overlap"]))
    assert expected >= 3
    result = client.post("/v1/classify", json={"texts": [text, "Short one."]}).get_json()["results"]
    assert [r["windows"] for r in result] == [expected, 1]
    assert result[0] == classifier.classify([text])[0]
    document = client.post("/v1/documents", json={"text": f"Short opening paragraph of the article here.\n\n{text}"})
    assert [p["windows"] for p in document.get_json()["paragraphs"]] == [1, expected]
