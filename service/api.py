"""The /v1 JSON API."""

from flask import Blueprint, current_app, g, request

from geostance.documents import classify_document
from geostance.paragraphs import split_paragraphs

from .errors import APIError

api = Blueprint("api", __name__, url_prefix="/v1")


def get_classifier():
    return current_app.extensions["classifier"]


JSON_TYPES = ((bool, "boolean"), (str, "string"), (int, "number"), (float, "number"), (list, "array"), (dict, "object"))


def json_type(value):
    """The JSON name of a decoded value's type, for error messages."""
    return next((name for kind, name in JSON_TYPES if isinstance(value, kind)), "null")


def get_json_object():
    """The request body as a JSON object, or a 415/400/422 error saying what is wrong."""
    if not request.is_json:
        raise APIError(415, f"send Content-Type: application/json (got '{request.content_type or 'none'}')")
    try:
        body = current_app.json.loads(request.get_data())
    except ValueError as err:
        raise APIError(400, f"the body is not valid JSON: {err}") from None
    except RecursionError:
        raise APIError(400, "the body is not valid JSON: it is nested too deeply") from None
    if not isinstance(body, dict):
        raise APIError(422, f"the body must be a JSON object, got {json_type(body)}")
    return body


def get_texts(body):
    """Validate `texts`: a non-empty list of non-empty strings within the configured limits."""
    texts = body.get("texts")
    if "texts" not in body:
        raise APIError(422, "field 'texts' is required: an array of strings")
    if not isinstance(texts, list):
        raise APIError(422, f"field 'texts' must be an array of strings, got {json_type(texts)}")
    if not texts:
        raise APIError(422, "field 'texts' is empty: send at least one text")
    limit = current_app.config["MAX_TEXTS"]
    if len(texts) > limit:
        raise APIError(422, f"field 'texts' has {len(texts)} items; the limit is {limit} per request")
    max_chars = current_app.config["MAX_TEXT_CHARS"]
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise APIError(422, f"texts[{i}] must be a string, got {json_type(text)}")
        if not text.strip():
            raise APIError(422, f"texts[{i}] is empty")
        if len(text) > max_chars:
            raise APIError(422, f"texts[{i}] has {len(text)} characters; the limit is {max_chars}")
    return texts


@api.post("/classify")
def classify():
    texts = get_texts(get_json_object())
    g.texts = len(texts)
    results = get_classifier().classify(texts, batch_size=current_app.config["BATCH_SIZE"])
    return {"model": current_app.extensions["model_info"]["id"], "results": results}


def get_text(body, what, limit):
    """Validate the field `text`: a non-empty string of at most `limit` characters."""
    if "text" not in body:
        raise APIError(422, f"field 'text' is required: {what} as a string")
    text = body["text"]
    if not isinstance(text, str):
        raise APIError(422, f"field 'text' must be a string, got {json_type(text)}")
    if not text.strip():
        raise APIError(422, "field 'text' is empty")
    if len(text) > limit:
        raise APIError(422, f"field 'text' has {len(text)} characters; the limit is {limit}")
    return text


@api.post("/documents")
def documents():
    text = get_text(get_json_object(), "the whole article", current_app.config["MAX_DOCUMENT_CHARS"])
    paragraphs = split_paragraphs(text)
    limit = current_app.config["MAX_DOCUMENT_PARAGRAPHS"]
    if len(paragraphs) > limit:
        raise APIError(422, f"field 'text' splits into {len(paragraphs)} paragraphs; the limit is {limit}")
    g.texts = len(paragraphs)
    document = classify_document(get_classifier(), text, batch_size=current_app.config["BATCH_SIZE"],
                                 paragraphs=paragraphs)
    return {"model": current_app.extensions["model_info"]["id"], **document}


@api.get("/model")
def model():
    return current_app.extensions["model_info"]
