"""Command line for the service: serve the API, score files in batch."""

import argparse
import sys

from geostance import ModelFilesError
from geostance.backends import BackendError
from geostance.model import require_backend_files, require_model_files

from .batch_io import ScoreError
from .ray_engine import DEFAULT_BATCH_ROWS, score_with_ray
from .score import DEFAULT_CHUNK_SIZE, format_summary, score_file


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m service", description="Serve geostance models.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("serve", help="serve the HTTP API and web page under gunicorn")
    p.add_argument("--model", default="models/default", help="model directory")
    p.add_argument("--host", default="127.0.0.1", help="address to bind")
    p.add_argument("--port", type=int, default=8000, help="port to bind")
    p.add_argument("--workers", type=int, default=1, help="worker processes, each with its own copy of the model")
    p.add_argument("--threads", type=int, default=4, help="request threads per worker")
    p.add_argument("--graceful-timeout", type=int, default=30,
                   help="seconds a SIGTERM leaves in-flight requests to finish before workers are killed")
    p = commands.add_parser("score", help="score a JSONL, CSV or Parquet file into JSONL or Parquet")
    p.add_argument("--model", default="models/default", help="model directory")
    p.add_argument("--input", required=True, help="input file: .jsonl, .csv or .parquet")
    p.add_argument("--output", required=True, help="output file: .jsonl or .parquet (one row per input row, in order)")
    p.add_argument("--text-column", default="text", help="column holding the paragraph")
    p.add_argument("--id-column", default=None, help="column holding the row id (default: the row number, from 1)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted local run from its last committed chunk")
    p.add_argument("--engine", choices=("local", "ray"), default="local", help="score in this process, or on Ray")
    p.add_argument("--chunk-size", type=int, default=None,
                   help=f"rows per committed chunk (local, default {DEFAULT_CHUNK_SIZE}) or per actor batch (ray, default {DEFAULT_BATCH_ROWS})")
    p.add_argument("--batch-size", type=int, default=32, help="encoder windows per forward pass")
    p.add_argument("--address", default=None, help="Ray cluster to join, e.g. 10.0.0.1:6379 (default: start Ray locally)")
    p.add_argument("--num-cpus", type=int, default=None, help="CPUs for a local Ray instance (default: all)")
    p.add_argument("--actors", type=int, default=None, help="Ray actors, one model each (default: one per cluster CPU)")
    return parser


def run_serve(args):
    from .server import serve

    require_model_files(args.model)
    # Workers load the model later; a bad GEOSTANCE_BACKEND or missing ONNX file should stop us here.
    require_backend_files(args.model)
    serve(args.model, args.host, args.port, args.workers, args.threads, graceful_timeout=args.graceful_timeout)


def run_score(args):
    if args.engine == "local":
        if args.address or args.actors or args.num_cpus:
            raise ScoreError("--address, --actors and --num-cpus apply to --engine ray only")
        summary = score_file(args.model, args.input, args.output, text_column=args.text_column, id_column=args.id_column,
                             chunk_size=args.chunk_size or DEFAULT_CHUNK_SIZE, batch_size=args.batch_size, resume=args.resume)
    else:
        if args.resume:
            raise ScoreError("--resume applies to --engine local only; a Ray job is rerun from the start")
        summary = score_with_ray(args.model, args.input, args.output, text_column=args.text_column,
                                 id_column=args.id_column, batch_rows=args.chunk_size or DEFAULT_BATCH_ROWS,
                                 batch_size=args.batch_size, address=args.address, num_cpus=args.num_cpus, actors=args.actors)
    print(format_summary(summary), file=sys.stderr)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        {"serve": run_serve, "score": run_score}[args.command](args)
    except (BackendError, ModelFilesError, ScoreError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
