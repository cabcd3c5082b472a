"""The Flask application factory."""

import os

from flask import Flask

from .api import api
from .errors import register_error_handlers
from .explain_api import explain_api
from .health import health
from .model_info import describe, load_classifier
from .web import web

DEFAULTS = {
    "MODEL_DIR": "models/default",
    "MAX_TEXTS": 64,
    "MAX_TEXT_CHARS": 50_000,
    "MAX_DOCUMENT_CHARS": 200_000,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "BATCH_SIZE": 32,
}
ENVIRONMENT = {"GEOSTANCE_MODEL": "MODEL_DIR", "GEOSTANCE_MAX_TEXTS": "MAX_TEXTS",
               "GEOSTANCE_MAX_TEXT_CHARS": "MAX_TEXT_CHARS",
               "GEOSTANCE_MAX_DOCUMENT_CHARS": "MAX_DOCUMENT_CHARS", "GEOSTANCE_MAX_BODY_BYTES": "MAX_CONTENT_LENGTH",
               "GEOSTANCE_BATCH_SIZE": "BATCH_SIZE"}


def settings_from_environment():
    settings = {}
    for variable, key in ENVIRONMENT.items():
        if variable in os.environ:
            value = os.environ[variable]
            settings[key] = int(value) if isinstance(DEFAULTS[key], int) else value
    return settings


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
    app.register_blueprint(health)
    app.register_blueprint(api)
    app.register_blueprint(explain_api)
    app.register_blueprint(web)
    return app
