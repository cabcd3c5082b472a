"""Liveness and readiness probes."""

from flask import Blueprint, current_app

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz():
    return {"status": "ok"}


@health.get("/readyz")
def readyz():
    ready = current_app.extensions.get("classifier") is not None
    return ({"status": "ready", "model": current_app.extensions["model_info"]["id"]}, 200) if ready else ({"status": "loading"}, 503)
