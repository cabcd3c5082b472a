"""Command line for the service: serve the API."""

import argparse
import sys

from geostance import ModelFilesError
from geostance.backends import BackendError
from geostance.model import require_backend_files, require_model_files


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m service", description="Serve geostance models.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("serve", help="serve the HTTP API and web page under gunicorn")
    p.add_argument("--model", default="models/default", help="model directory")
    p.add_argument("--host", default="127.0.0.1", help="address to bind")
    p.add_argument("--port", type=int, default=8000, help="port to bind")
    p.add_argument("--workers", type=int, default=1, help="worker processes, each with its own copy of the model")
    p.add_argument("--threads", type=int, default=4, help="request threads per worker")
    return parser


def run_serve(args):
    from .server import serve

    require_model_files(args.model)
    # Workers load the model later; a bad GEOSTANCE_BACKEND or missing ONNX file should stop us here.
    require_backend_files(args.model)
    serve(args.model, args.host, args.port, args.workers, args.threads)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        {"serve": run_serve}[args.command](args)
    except (BackendError, ModelFilesError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
