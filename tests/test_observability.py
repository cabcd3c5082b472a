import json
import logging

from prometheus_client.parser import text_string_to_metric_families


def samples(client):
    """Metric samples from /metrics as {(name, sorted labels): value}."""
    text = client.get("/metrics").get_data(as_text=True)
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def requests_count(values, endpoint, status, method="POST"):
    key = ("geostance_http_requests_total", (("endpoint", endpoint), ("method", method), ("status", status)))
    return values.get(key, 0)


def test_metrics_count_requests_texts_and_latency(client):
    client.post("/v1/classify", json={"texts": ["One.", "Two.", "Three."]})
    client.post("/v1/classify", json={"texts": []})
    client.post("/v1/documents", json={"text": "First paragraph of the piece here.\n\nSecond paragraph of it, also long."})
    client.get("/v1/unknown")
    values = samples(client)
    assert requests_count(values, "/v1/classify", "200") == 1
    assert requests_count(values, "/v1/classify", "422") == 1
    assert requests_count(values, "/v1/documents", "200") == 1
    assert requests_count(values, "unmatched", "404", "GET") == 1
    assert values[("geostance_texts_classified_total", (("endpoint", "/v1/classify"),))] == 3
    assert values[("geostance_texts_classified_total", (("endpoint", "/v1/documents"),))] == 2
    assert values[("geostance_http_request_duration_seconds_count", (("endpoint", "/v1/classify"),))] == 2
    assert values[("geostance_http_request_duration_seconds_sum", (("endpoint", "/v1/classify"),))] > 0
    info = [key for key in values if key[0] == "geostance_model_info"]
    assert dict(info[0][1])["id"].startswith("tiny-")


def test_each_app_counts_only_its_own_requests(make_client):
    first, second = make_client(), make_client()
    first.get("/healthz")
    assert requests_count(samples(first), "/healthz", "200", "GET") == 1
    assert requests_count(samples(second), "/healthz", "200", "GET") == 0


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def access_lines(client, action):
    handler = Lines()
    logger = logging.getLogger("geostance.access")
    logger.addHandler(handler)
    try:
        action(client)
    finally:
        logger.removeHandler(handler)
    return [json.loads(line) for line in handler.lines]


def test_access_log_is_one_json_line_per_request(client):
    lines = access_lines(client, lambda c: (c.post("/v1/classify", json={"texts": ["One.", "Two."]}),
                                            c.post("/v1/classify", data="{", content_type="application/json")))
    assert len(lines) == 2
    ok, bad = lines
    assert (ok["method"], ok["path"], ok["status"], ok["texts"]) == ("POST", "/v1/classify", 200, 2)
    assert ok["duration_ms"] > 0 and ok["time"].endswith("+00:00")
    assert (bad["status"], bad["texts"]) == (400, 0)


def test_access_log_can_be_switched_off(make_client):
    assert access_lines(make_client({"ACCESS_LOG": False}), lambda c: c.get("/healthz")) == []
