"""WSGI entry for running gunicorn directly: `gunicorn 'service.wsgi:app'` (model from GEOSTANCE_MODEL)."""

from .app import create_app

app = create_app()
