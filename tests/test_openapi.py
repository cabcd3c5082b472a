import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from service.app import create_app

# Small limits keep generated requests cheap; the document states them, so cases respect them.
SMALL = {"MAX_TEXTS": 3, "MAX_TEXT_CHARS": 200, "MAX_DOCUMENT_CHARS": 600, "MAX_DOCUMENT_PARAGRAPHS": 4,
         "MAX_EXPLAIN_CHARS": 150, "MAX_CONTENT_LENGTH": 16_384, "ACCESS_LOG": False}


OPERATIONS = [("POST", "/v1/classify", "positive"), ("POST", "/v1/classify", "negative"),
              ("POST", "/v1/documents", "positive"), ("POST", "/v1/documents", "negative"),
              ("POST", "/v1/explain", "positive"), ("POST", "/v1/explain", "negative"),
              ("GET", "/v1/model", "positive"), ("GET", "/", "positive"), ("GET", "/healthz", "positive"), ("GET", "/readyz", "positive"),
              ("GET", "/metrics", "positive"), ("GET", "/openapi.json", "positive")]


@pytest.fixture(scope="module")
def api_schema(model_dir, classifier):
    app = create_app({"MODEL_DIR": str(model_dir), "TESTING": True, **SMALL}, classifier=classifier)
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


@pytest.mark.parametrize("method, path, mode", OPERATIONS)
def test_api_conforms_to_its_openapi_document(api_schema, method, path, mode):
    """Schema-generated requests (and, for bodies, schema-violating ones) never get a 5xx or an off-schema reply."""
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        case.call_and_validate()

    check()


def test_document_describes_every_route(app):
    spec = app.test_client().get("/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    routes = {rule.rule for rule in app.url_map.iter_rules() if not rule.endpoint.endswith("static")}
    assert routes == set(spec["paths"])
    classify = spec["paths"]["/v1/classify"]["post"]
    assert {"200", "400", "413", "415", "422"} <= set(classify["responses"])
    texts = spec["components"]["schemas"]["ClassifyRequest"]["properties"]["texts"]
    assert texts["maxItems"] == app.config["MAX_TEXTS"]
    stance = spec["components"]["schemas"]["Result"]["properties"]["stance"]
    assert stance["properties"]["label"]["enum"] == ["balancing", "pro-Russia", "pro-West"]
