"""Per-request bookkeeping: Prometheus metrics and one structured JSON access-log line."""

import json
import logging
import time
from datetime import datetime, timezone

from flask import current_app, g, request

from .metrics import AppMetrics, metrics

access_log = logging.getLogger("geostance.access")


def configure_access_log():
    """Send access lines, bare JSON, to stderr once per process (gunicorn leaves this logger alone)."""
    if not access_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.setLevel(logging.INFO)
        access_log.propagate = False


def start_timer():
    g.started = time.perf_counter()


def record_request(response):
    seconds = time.perf_counter() - g.get("started", time.perf_counter())
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    texts = g.get("texts", 0) if response.status_code < 400 else 0
    current_app.extensions["metrics"].observe(endpoint, request.method, response.status_code, seconds, texts)
    if current_app.config["ACCESS_LOG"]:
        access_log.info(json.dumps({
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2), "texts": texts, "remote": request.remote_addr,
        }))
    return response


def register_observability(app):
    """Time every request (auth failures and errors included) and count it once it has a response."""
    app.extensions["metrics"] = AppMetrics(app.extensions["model_info"])
    configure_access_log()
    app.before_request(start_timer)
    app.after_request(record_request)
    app.register_blueprint(metrics)
