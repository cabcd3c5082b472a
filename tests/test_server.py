import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest


@pytest.fixture()
def server(model_dir):
    """The real gunicorn server on a free 127.0.0.1 port, serving the tiny model."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "service", "serve", "--model", str(model_dir),
                                "--port", str(port), "--graceful-timeout", "90"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if get(port, "/readyz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    yield process, port
    if process.poll() is None:
        process.kill()
    process.wait()


def get(port, path, method="GET", body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_sigterm_lets_an_in_flight_request_finish(server):
    process, port = server
    texts = ["Ministers weighed pipelines, sanctions and security guarantees in Baku. " * 40] * 16
    replies = []
    request = threading.Thread(target=lambda: replies.append(
        get(port, "/v1/classify", "POST", json.dumps({"texts": texts}))))
    request.start()
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    request.join(timeout=120)
    status, body = replies[0]
    assert status == 200
    assert len(json.loads(body)["results"]) == 16
    assert process.wait(timeout=60) == 0
    access_lines = [json.loads(line) for line in process.stderr.read().decode().splitlines() if line.startswith("{")]
    assert [(line["path"], line["status"], line["texts"]) for line in access_lines][-1] == ("/v1/classify", 200, 16)
