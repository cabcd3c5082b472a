"""The analyst web page: GET / and its static assets (plain HTML, CSS and JavaScript, no build step)."""

from flask import Blueprint

web = Blueprint("web", __name__, static_folder="static", static_url_path="/assets")


@web.get("/")
def index():
    response = web.send_static_file("index.html")
    response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; object-src 'none'"
    return response
