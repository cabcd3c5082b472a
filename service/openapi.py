"""The OpenAPI 3.1 description of the service, built from the app's limits and the model's labels."""

from flask import Blueprint, current_app

from .errors import CODES

openapi = Blueprint("openapi", __name__)

ERROR_MEANINGS = {
    400: "The body is not valid JSON.",
    401: "The API key is missing or not valid.",
    404: "No such route.",
    405: "The route does not accept this method.",
    413: "The body is larger than the configured limit.",
    415: "The Content-Type is not application/json.",
    422: "A field is missing, of the wrong type, empty or over a limit; the message names it.",
    503: "The model is not loaded yet.",
}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def error_responses(*statuses):
    return {str(status): {"description": ERROR_MEANINGS[status], "content": json_content(ref("Error"))}
            for status in statuses}


def task_schemas(schema):
    """Per task, the result of one text (label and every label's score) and its document summary."""
    results, summaries = {}, {}
    for task in schema.task_names:
        labels = list(schema.labels(task))
        probabilities = {"type": "object", "required": labels, "additionalProperties": False,
                         "properties": {label: {"type": "number", "minimum": 0, "maximum": 1} for label in labels}}
        results[task] = {"type": "object", "required": ["label", "scores"], "additionalProperties": False,
                         "properties": {"label": {"type": "string", "enum": labels}, "scores": probabilities}}
        run = {"type": "object", "required": ["label", "from", "to"], "additionalProperties": False,
               "properties": {"label": {"type": "string", "enum": labels},
                              "from": {"type": "integer", "minimum": 0}, "to": {"type": "integer", "minimum": 0}}}
        summaries[task] = {
            "type": "object", "required": ["share", "dominant", "path", "shifts"], "additionalProperties": False,
            "properties": {"share": {**probabilities, "description": "Label shares weighted by paragraph length."},
                           "dominant": {"type": "string", "enum": labels},
                           "path": {"type": "array", "items": run, "description": "Runs of paragraphs with one label."},
                           "shifts": {"type": "integer", "minimum": 0}}}
    return results, summaries


def component_schemas(config, schema):
    results, summaries = task_schemas(schema)
    tasks = list(results)
    # Python's str.strip() also removes U+001C-U+001F and U+0085, which ECMA regex \s does not
    # cover; exclude them too so a schema-valid text is never one the server calls empty.
    text = {"type": "string", "minLength": 1, "pattern": r"[^\s\x1c-\x1f\x85]"}
    result = {"type": "object", "required": [*tasks, "windows"], "additionalProperties": False,
              "properties": {**results, "windows": {
                  "type": "integer", "minimum": 1, "description": "Overlapping encoder windows the text needed."}}}
    paragraph = {"type": "object", "required": ["index", "start", "end", "text", *tasks, "windows"],
                 "additionalProperties": False,
                 "properties": {"index": {"type": "integer", "minimum": 0},
                                "start": {"type": "integer", "minimum": 0, "description": "Offset of the first character."},
                                "end": {"type": "integer", "minimum": 1, "description": "Offset after the last character."},
                                "text": {"type": "string", "description": "The paragraph, whitespace collapsed."},
                                **result["properties"]}}
    return {
        "Error": {"type": "object", "required": ["error"], "additionalProperties": False, "properties": {"error": {
            "type": "object", "required": ["code", "message"], "additionalProperties": False,
            "properties": {"code": {"type": "string", "enum": sorted(set(CODES.values()))},
                           "message": {"type": "string"}}}}},
        "ClassifyRequest": {"type": "object", "required": ["texts"], "properties": {"texts": {
            "type": "array", "minItems": 1, "maxItems": config["MAX_TEXTS"],
            "items": {**text, "maxLength": config["MAX_TEXT_CHARS"]}}}},
        "Result": result,
        "ClassifyResponse": {"type": "object", "required": ["model", "results"], "additionalProperties": False,
                             "properties": {"model": {"type": "string"},
                                            "results": {"type": "array", "items": ref("Result"),
                                                        "description": "One result per text, in input order."}}},
        "DocumentRequest": {"type": "object", "required": ["text"], "properties": {"text": {
            **text, "maxLength": config["MAX_DOCUMENT_CHARS"],
            "description": f"The whole article; it may split into at most {config['MAX_DOCUMENT_PARAGRAPHS']} paragraphs."}}},
        "Paragraph": paragraph,
        "DocumentResponse": {
            "type": "object", "required": ["model", "paragraphs", "summary"], "additionalProperties": False,
            "properties": {"model": {"type": "string"}, "paragraphs": {"type": "array", "items": ref("Paragraph")},
                           "summary": {"type": "object", "required": ["paragraphs", "characters", *tasks],
                                       "additionalProperties": False,
                                       "properties": {"paragraphs": {"type": "integer", "minimum": 1},
                                                      "characters": {"type": "integer", "minimum": 1},
                                                      **summaries}}}},
        "ExplainRequest": {"type": "object", "required": ["text"], "properties": {
            "text": {**text, "maxLength": config["MAX_EXPLAIN_CHARS"], "description": "One paragraph."},
            "task": {"type": "string", "enum": tasks, "default": "stance"}}},
        "Piece": {"type": "object", "required": ["start", "end", "text", "contribution"], "additionalProperties": False,
                  "properties": {"start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0},
                                 "text": {"type": "string"},
                                 "contribution": {"type": "number", "description": "Drop in the label's probability "
                                                                                   "when the piece is removed."}}},
        "ExplainResponse": {
            "type": "object", "additionalProperties": False,
            "required": ["model", "task", "label", "probability", "sentences", "spans", "evaluations"],
            "properties": {"model": {"type": "string"}, "task": {"type": "string", "enum": tasks},
                           "label": {"type": "string"}, "probability": {"type": "number", "minimum": 0, "maximum": 1},
                           "sentences": {"type": "array", "items": ref("Piece")},
                           "spans": {"type": "array", "items": ref("Piece")},
                           "evaluations": {"type": "integer", "minimum": 1}}},
        "ModelInfo": {"type": "object", "required": ["id", "tasks", "max_length", "training", "metrics"],
                      "properties": {"id": {"type": "string"},
                                     "tasks": {"type": "object", "additionalProperties": {
                                         "type": "array", "items": {"type": "string"}}},
                                     "max_length": {"type": "integer"},
                                     "training": {"type": ["object", "null"]},
                                     "metrics": {"type": ["object", "null"]}}},
        "Status": {"type": "object", "required": ["status"],
                   "properties": {"status": {"type": "string"}, "model": {"type": "string"}}},
    }


def operation(summary, ok_schema, *errors, body=None, protected=False, keys=False):
    """One operation: its 200 response, its error responses, and its JSON body if it takes one."""
    statuses = [*errors, 401] if protected and keys else list(errors)
    op = {"summary": summary, "responses": {"200": {"description": "Success.", "content": json_content(ok_schema)},
                                            **error_responses(*statuses)}}
    if body:
        op["requestBody"] = {"required": True, "content": json_content(ref(body))}
    if protected and keys:
        op["security"] = [{"bearer": []}]
    return op


def build_openapi(config, schema):
    """The OpenAPI 3.1 document as a dict; limits and labels are those this app enforces and returns."""
    keys = bool(current_app.extensions.get("api_keys"))
    post_errors = (400, 404, 405, 413, 415, 422)
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "geostance", "version": "1",
                 "description": "Stance and sentiment of geopolitical paragraphs. Every error is JSON: "
                                '{"error": {"code": ..., "message": ...}}.'},
        "paths": {
            "/v1/classify": {"post": operation(
                "Classify paragraphs", ref("ClassifyResponse"), *post_errors,
                body="ClassifyRequest", protected=True, keys=keys)},
            "/v1/documents": {"post": operation(
                "Split an article into paragraphs and classify each, with a summary", ref("DocumentResponse"),
                *post_errors, body="DocumentRequest", protected=True, keys=keys)},
            "/v1/explain": {"post": operation(
                "The sentences and word runs of one paragraph that moved its prediction", ref("ExplainResponse"),
                *post_errors, body="ExplainRequest", protected=True, keys=keys)},
            "/v1/model": {"get": operation("The served model: id, tasks, labels, metrics", ref("ModelInfo"),
                                           protected=True, keys=keys)},
            "/healthz": {"get": operation("Liveness", ref("Status"))},
            "/readyz": {"get": operation("Readiness: the model is loaded", ref("Status"), 503)},
            "/": {"get": {"summary": "The analyst web page", "responses": {"200": {
                "description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {
                "description": "Metrics in the Prometheus text format.",
                "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/openapi.json": {"get": operation("This document", {"type": "object"})},
        },
        "components": {"schemas": component_schemas(config, schema)},
    }
    if keys:
        spec["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer",
                                                            "description": "One of GEOSTANCE_API_KEYS."}}
    return spec


@openapi.get("/openapi.json")
def document():
    return build_openapi(current_app.config, current_app.extensions["classifier"].schema)
