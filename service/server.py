"""Running the app under gunicorn, the production WSGI server."""

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """Gunicorn with an app factory: each worker builds its app, loading the model once."""

    def __init__(self, factory, options):
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.factory()


def serve(model_dir, host="127.0.0.1", port=8000, workers=1, threads=4, timeout=120, graceful_timeout=30):
    """Serve the API and web page for `model_dir` until interrupted (SIGTERM shuts down gracefully)."""
    from .app import create_app

    options = {"bind": f"{host}:{port}", "workers": workers, "threads": threads, "timeout": timeout,
               "graceful_timeout": graceful_timeout, "accesslog": None}
    GunicornServer(lambda: create_app({"MODEL_DIR": model_dir}), options).run()
