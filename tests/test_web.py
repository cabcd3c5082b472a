import re
from pathlib import Path

STATIC = Path(__file__).parent.parent / "service" / "static"


def test_page_is_served_with_the_controls_tests_rely_on(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for marker in ('id="text"', 'id="analyze"', 'for="text"', 'aria-live="polite"', 'id="api-key"'):
        assert marker in page
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_assets_are_served_and_local(client):
    for name, kind in (("app.js", "javascript"), ("style.css", "css")):
        response = client.get(f"/assets/{name}")
        assert response.status_code == 200 and kind in response.mimetype
    for file in STATIC.iterdir():
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", file.read_text()), f"{file.name} loads a remote resource"
