"""POST /v1/explain: which sentences and phrases of one paragraph moved its prediction."""

import os

from flask import Blueprint, current_app

from geostance.explain import explain

from .api import get_classifier, get_json_object, get_text
from .errors import APIError

explain_api = Blueprint("explain_api", __name__, url_prefix="/v1")
DEFAULT_MAX_EXPLAIN_CHARS = 5_000


@explain_api.record_once
def set_default_limit(state):
    """Explanations cost one pass per sentence and word run, so they get a tighter length limit."""
    limit = int(os.environ.get("GEOSTANCE_MAX_EXPLAIN_CHARS", DEFAULT_MAX_EXPLAIN_CHARS))
    state.app.config.setdefault("MAX_EXPLAIN_CHARS", limit)


def get_task(body, classifier):
    """Validate `task`: a task of the served model, `stance` by default."""
    task = body.get("task", "stance")
    tasks = classifier.task_names
    if not isinstance(task, str) or task not in tasks:
        raise APIError(422, f"field 'task' must be one of {', '.join(tasks)}, got {task!r}")
    return task


@explain_api.post("/explain")
def explain_paragraph():
    body = get_json_object()
    classifier = get_classifier()
    text = get_text(body, "the paragraph to explain", current_app.config["MAX_EXPLAIN_CHARS"])
    task = get_task(body, classifier)
    result = explain(classifier, text, task, batch_size=current_app.config["BATCH_SIZE"])
    return {"model": current_app.extensions["model_info"]["id"], "task": task, **result}
