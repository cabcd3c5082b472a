"""Batch scoring of files on one machine: chunked, streaming, and resumable after a crash.

Each chunk of output rows is committed atomically as a part file in `OUTPUT.parts/`
(written to a temporary name, fsynced, renamed), beside a `state.json` recording the
input fingerprint, the model id and the options. `--resume` skips the committed chunks;
when every chunk is in, the parts are joined in order into OUTPUT and the directory removed.
"""

import hashlib
import json
import os
import shutil
import time
from itertools import islice
from pathlib import Path

from geostance import MultiTaskClassifier
from geostance.model import require_model_files

from .batch_io import (
    OUTPUT_FORMATS, WRITERS, ScoreError, check_columns, check_text, count_rows, file_format,
    output_schema, read_output, read_rows,
)
from .model_info import model_id
from .progress import Progress

DEFAULT_CHUNK_SIZE = 1000
FINGERPRINT_BYTES = 1 << 20


def score_rows(classifier, rows, text_column, batch_size=32):
    """Output rows for input rows `(id, value, problem)`, in order: per task label and scores, or an `error`."""
    errors = [problem or check_text(value, text_column) for _, value, problem in rows]
    good = [i for i, error in enumerate(errors) if error is None]
    results = dict(zip(good, classifier.classify([rows[i][1] for i in good], batch_size) if good else []))
    out = []
    for i, (row_id, _, _) in enumerate(rows):
        result = results.get(i)
        row = {"id": row_id}
        row.update({task: result[task] if result else None for task in classifier.task_names})
        row["windows"] = result["windows"] if result else None
        row["error"] = errors[i]
        out.append(row)
    return out


def summarize(engine, output, rows, failed, seconds, rows_this_run):
    """The end-of-job summary: counts of scored and failed rows, time and rate."""
    return {"engine": engine, "output": str(output), "rows": rows, "scored": rows - failed, "failed": failed,
            "seconds": round(seconds, 2), "rows_per_second": round(rows_this_run / max(seconds, 1e-9), 1)}


def format_summary(summary):
    failed = f", {summary['failed']} failed (see their 'error' field)" if summary["failed"] else ", 0 failed"
    return (f"{summary['rows']} rows: {summary['scored']} scored{failed}; {summary['seconds']}s "
            f"({summary['rows_per_second']} rows/s, {summary['engine']} engine) -> {summary['output']}")


def fingerprint(path):
    """Size, modification time and a hash of the first and last MiB: cheap, and changes when the file does."""
    stat = Path(path).stat()
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        digest.update(f.read(FINGERPRINT_BYTES))
        f.seek(max(stat.st_size - FINGERPRINT_BYTES, 0))
        digest.update(f.read(FINGERPRINT_BYTES))
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256_head_tail": digest.hexdigest()}


def parts_dir(output):
    return Path(f"{output}.parts")


def open_parts(parts, state, resume):
    """Prepare the parts directory and return how many chunks an earlier run already committed."""
    state_file = parts / "state.json"
    if not state_file.is_file():
        parts.mkdir(parents=True, exist_ok=True)
        write_atomically(state_file, (json.dumps(state, indent=2) + "\n").encode())
        return 0
    committed = sorted(parts.glob("part-*"))
    if not resume:
        raise ScoreError(f"{parts} holds {len(committed)} committed chunk(s) of an earlier run of this job; "
                         f"rerun with --resume to continue it, or delete {parts} to start over")
    check_same_job(json.loads(state_file.read_text()), state, parts)
    for stale in parts.glob(".*.tmp"):
        stale.unlink()
    for index, path in enumerate(committed):
        if not path.name.startswith(f"part-{index:06d}."):
            raise ScoreError(f"{parts} is missing chunk {index}; delete {parts} to start over")
    return len(committed)


def check_same_job(saved, state, parts):
    """Refuse to resume when the input, the model or an option differs from the first run."""
    if saved["input"] != state["input"]:
        changed = ", ".join(key for key in state["input"] if saved["input"].get(key) != state["input"][key])
        raise ScoreError(f"cannot resume: the input file changed since the first run ({changed} differ); "
                         f"delete {parts} to start over")
    if saved["model"] != state["model"]:
        raise ScoreError(f"cannot resume: the model changed since the first run (was {saved['model']}, "
                         f"now {state['model']}); delete {parts} to start over")
    for option in ("text_column", "id_column", "chunk_size"):
        if saved[option] != state[option]:
            flag = "--" + option.replace("_", "-")
            raise ScoreError(f"cannot resume: {flag} was {saved[option]!r} in the first run, now {state[option]!r}; "
                             f"rerun with the same options or delete {parts} to start over")


def write_atomically(path, data):
    """Write bytes to `path` so that a crash leaves either the whole file or none of it."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    sync_directory(path.parent)


def sync_directory(path):
    """Make a rename in `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_part(parts, index, rows, fmt, schema):
    """Write one chunk to a temporary file, fsync it, then rename it into place."""
    name = f"part-{index:06d}{'.jsonl' if fmt == 'jsonl' else '.parquet'}"
    tmp = parts / f".{name}.tmp"
    writer = WRITERS[fmt](tmp, schema)
    writer.write(rows)
    writer.close()
    os.replace(tmp, parts / name)
    sync_directory(parts)


def assemble(parts, output, fmt, schema):
    """Join the committed parts in order into `output`, remove the parts, and return (rows, failed)."""
    tmp = parts / ".assembled.tmp"
    writer = WRITERS[fmt](tmp, schema)
    rows = failed = 0
    for part in sorted(parts.glob("part-*")):
        chunk = list(read_output(part))
        rows += len(chunk)
        failed += sum(row["error"] is not None for row in chunk)
        writer.write(chunk)
    writer.close()
    os.replace(tmp, output)
    sync_directory(Path(output).resolve().parent)
    shutil.rmtree(parts)
    return rows, failed


def chunked(rows, size):
    """Lists of up to `size` consecutive items."""
    while chunk := list(islice(rows, size)):
        yield chunk


def score_file(model_dir, input_path, output, *, text_column="text", id_column=None,
               chunk_size=DEFAULT_CHUNK_SIZE, batch_size=32, resume=False, progress_stream=None):
    """Score every row of `input_path` into `output` with the local engine and return the summary."""
    if chunk_size < 1:
        raise ScoreError(f"--chunk-size must be at least 1, got {chunk_size}")
    fmt = file_format(output, OUTPUT_FORMATS, "output")
    check_columns(input_path, text_column, id_column)
    require_model_files(model_dir)
    state = {"input": fingerprint(input_path), "model": model_id(model_dir),
             "text_column": text_column, "id_column": id_column, "chunk_size": chunk_size}
    parts = parts_dir(output)
    done = open_parts(parts, state, resume)
    classifier = MultiTaskClassifier.from_pretrained(model_dir)
    schema = output_schema(classifier.schema)
    rows = read_rows(input_path, text_column, id_column)
    skipped = sum(1 for _ in islice(rows, done * chunk_size))
    progress = Progress(count_rows(input_path), done=skipped, stream=progress_stream)
    start = time.monotonic()
    for index, chunk in enumerate(chunked(rows, chunk_size), start=done):
        commit_part(parts, index, score_rows(classifier, chunk, text_column, batch_size), fmt, schema)
        progress.update(len(chunk))
    progress.close()
    total, failed = assemble(parts, output, fmt, schema)
    return summarize("local", output, total, failed, time.monotonic() - start, total - skipped)
