"""Load test of the real gunicorn server: latency and throughput under concurrent clients.

Starts `python -m service serve` on a free 127.0.0.1 port, runs CLIENTS threads for
DURATION seconds with one-paragraph requests, then with 32-paragraph requests, and
compares batched HTTP throughput with `predict_proba` on the same paragraphs in this process.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from geostance import MultiTaskClassifier
from geostance.data import load_examples

BATCH = 32


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(model, port, threads, log):
    """The service under gunicorn in a subprocess (its stderr into `log`), returned once /readyz answers 200."""
    env = {**os.environ, "GEOSTANCE_ACCESS_LOG": "0"}
    command = [sys.executable, "-m", "service", "serve", "--model", model, "--host", "127.0.0.1",
               "--port", str(port), "--threads", str(threads)]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode} before it was ready")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            if request(connection, "GET", "/readyz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.5)
        finally:
            connection.close()
    server.terminate()
    raise RuntimeError("the server did not become ready within 300 s")


def stop_server(server):
    """SIGTERM, as an orchestrator would; gunicorn finishes in-flight requests and exits."""
    server.send_signal(signal.SIGTERM)
    return server.wait(timeout=60)


def request(connection, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def client_loop(port, bodies, deadline, latencies, errors):
    """Send requests back to back on one keep-alive connection until the deadline."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    i = 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            status, _ = request(connection, "POST", "/v1/classify", bodies[i % len(bodies)])
        except (OSError, http.client.HTTPException):
            status = None
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        if status == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors.append(status)
        i += 1
    connection.close()


def run_phase(port, batches, clients, duration):
    """Latencies (s) of successful requests, error count and paragraphs per second for one request size."""
    bodies = [json.dumps({"texts": batch}).encode() for batch in batches]
    latencies, errors = [], []
    deadline = time.monotonic() + duration
    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(port, bodies[k::clients] or bodies, deadline, latencies, errors))
               for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return latencies, len(errors), len(latencies) * len(batches[0]) / elapsed


def in_process_rate(classifier, batches, duration, threads):
    """Paragraphs per second of predict_proba on the client batches, from as many threads as the server has.

    Matching the server's thread count keeps the comparison about HTTP overhead, not
    about how much of a shared CPU one thread versus several can claim.
    """
    classifier.predict_proba(batches[0], batch_size=BATCH)
    done = []
    deadline = time.monotonic() + duration

    def loop(k):
        while time.monotonic() < deadline:
            classifier.predict_proba(batches[(k + len(done)) % len(batches)], batch_size=BATCH)
            done.append(1)

    started = time.perf_counter()
    workers = [threading.Thread(target=loop, args=(k,)) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(done) * BATCH / (time.perf_counter() - started)


def report(name, latencies, errors, rate):
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0] if latencies else 0] * 99
    print(f"{name:<14} requests {len(latencies) + errors:>6}  errors {errors:>3}  "
          f"p50 {cuts[49] * 1000:7.1f} ms  p95 {cuts[94] * 1000:7.1f} ms  p99 {cuts[98] * 1000:7.1f} ms  "
          f"{rate:7.1f} paragraphs/s")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/default", help="model directory")
    parser.add_argument("--data", default="datasets/test.jsonl", help="JSON Lines file whose texts are sent")
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--threads", type=int, default=4,
                        help="gunicorn threads in the one worker, and threads of the in-process baseline")
    args = parser.parse_args(argv)

    paragraphs = [example.text for example in load_examples([Path(args.data)])]
    if len(paragraphs) < BATCH:
        parser.error(f"{args.data} has {len(paragraphs)} texts; at least {BATCH} are needed")
    batches = [paragraphs[i:i + BATCH] for i in range(0, len(paragraphs) - BATCH + 1, BATCH)]
    print(f"{len(paragraphs)} paragraphs from {args.data}; {args.clients} clients, {args.duration:g} s per phase")
    classifier = MultiTaskClassifier.from_pretrained(args.model)
    before = in_process_rate(classifier, batches, args.duration / 2, args.threads)

    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_server(args.model, port, args.threads, log)
        try:
            single = run_phase(port, [[p] for p in paragraphs], args.clients, args.duration)
            report("1 paragraph", *single)
            batched = run_phase(port, batches, args.clients, args.duration)
            report(f"{BATCH} paragraphs", *batched)
        finally:
            code = stop_server(server)
        if code != 0 or single[1] or batched[1]:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
    # The machine's load drifts; measuring in-process throughput before and after the server brackets it.
    after = in_process_rate(classifier, batches, args.duration / 2, args.threads)
    baseline = (before + after) / 2
    print(f"{'in-process':<14} predict_proba, batches of {BATCH}, {args.threads} threads: {baseline:7.1f} paragraphs/s "
          f"(before {before:.1f}, after {after:.1f})")
    print(f"batched HTTP / in-process throughput: {batched[2] / baseline:.2f}  (server exit code {code} after SIGTERM)")


if __name__ == "__main__":
    main()
