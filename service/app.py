"""The Flask application factory."""

import os

from flask import Flask

from .api import api
from .auth import register_api_keys
from .errors import register_error_handlers
from .explain_api import explain_api
from .health import health
from .model_info import describe, load_classifier
from .observability import register_observability
from .openapi import openapi
from .web import web

DEFAULTS = {
    "MODEL_DIR": "models/default",
    "MAX_TEXTS": 64,
    "MAX_TEXT_CHARS": 50_000,
    "MAX_DOCUMENT_CHARS": 200_000,
    "MAX_DOCUMENT_PARAGRAPHS": 1_000,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "BATCH_SIZE": 32,
    "API_KEYS": "",
    "ACCESS_LOG": True,
}
ENVIRONMENT = {"GEOSTANCE_MODEL": "MODEL_DIR", "GEOSTANCE_MAX_TEXTS": "MAX_TEXTS",
               "GEOSTANCE_MAX_TEXT_CHARS": "MAX_TEXT_CHARS",
               "GEOSTANCE_MAX_DOCUMENT_CHARS": "MAX_DOCUMENT_CHARS",
               "GEOSTANCE_MAX_DOCUMENT_PARAGRAPHS": "MAX_DOCUMENT_PARAGRAPHS",
               "GEOSTANCE_MAX_BODY_BYTES": "MAX_CONTENT_LENGTH",
               "GEOSTANCE_BATCH_SIZE": "BATCH_SIZE", "GEOSTANCE_API_KEYS": "API_KEYS",
               "GEOSTANCE_ACCESS_LOG": "ACCESS_LOG"}
FALSE_WORDS = ("0", "false", "no", "off")


def parse_setting(variable, value, default):
    """An environment value converted to the type of its default, or a ValueError naming the variable."""
    if isinstance(default, bool):
        return value.strip().lower() not in FALSE_WORDS
    if isinstance(default, int):
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"{variable} must be a whole number, got {value!r}") from None
        if number < 1:
            raise ValueError(f"{variable} must be at least 1, got {number}")
        return number
    return value


def settings_from_environment():
    return {key: parse_setting(variable, os.environ[variable], DEFAULTS[key])
            for variable, key in ENVIRONMENT.items() if variable in os.environ}


def create_app(config=None, classifier=None):
    """Build the app; `config` overrides settings, `classifier` skips loading from MODEL_DIR."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(settings_from_environment())
    app.config.update(config or {})
    if classifier is None:
        classifier = load_classifier(app.config["MODEL_DIR"])
    app.extensions["classifier"] = classifier
    app.extensions["model_info"] = describe(app.config["MODEL_DIR"], classifier)
    register_error_handlers(app)
    register_observability(app)
    register_api_keys(app)
    app.register_blueprint(health)
    app.register_blueprint(openapi)
    app.register_blueprint(api)
    app.register_blueprint(explain_api)
    app.register_blueprint(web)
    return app
