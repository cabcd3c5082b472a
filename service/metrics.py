"""Prometheus metrics of one app, kept in the app's own registry and served at /metrics.

Each gunicorn worker process has its own registry, so with several workers a scrape sees
the counts of whichever worker answered; run one worker with threads (the default) for
exact totals.
"""

from flask import Blueprint, Response, current_app
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, Info, generate_latest

metrics = Blueprint("metrics", __name__)


class AppMetrics:
    """Requests by endpoint and status, request latency, texts classified, and the model id."""

    def __init__(self, model_info):
        self.registry = CollectorRegistry()
        self.requests = Counter("geostance_http_requests", "HTTP requests by endpoint, method and status",
                                ["endpoint", "method", "status"], registry=self.registry)
        self.latency = Histogram("geostance_http_request_duration_seconds", "HTTP request latency by endpoint",
                                 ["endpoint"], registry=self.registry,
                                 buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60))
        self.texts = Counter("geostance_texts_classified", "Texts (or document paragraphs) classified",
                             ["endpoint"], registry=self.registry)
        self.model = Info("geostance_model", "The served model", registry=self.registry)
        self.model.info({"id": model_info["id"], "max_length": str(model_info["max_length"])})

    def observe(self, endpoint, method, status, seconds, texts):
        self.requests.labels(endpoint, method, str(status)).inc()
        self.latency.labels(endpoint).observe(seconds)
        if texts:
            self.texts.labels(endpoint).inc(texts)


@metrics.get("/metrics")
def export():
    registry = current_app.extensions["metrics"].registry
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
