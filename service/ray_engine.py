"""Batch scoring on Ray: Ray Data reads the input, a pool of actors (one model each) scores it, the driver writes it.

Rows keep their input order (Ray Data's `preserve_order`), so the driver numbers rows
without an id column exactly as the local engine does, and writes one output file.
"""

import json
import logging
import os
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

import geostance
import service
from geostance import LabelSchema, MultiTaskClassifier
from geostance.model import require_model_files

from .batch_io import (
    INPUT_FORMATS, OUTPUT_FORMATS, WRITERS, check_columns, count_rows, file_format, output_schema,
    parse_jsonl_line, record_row, split_lines,
)
from .progress import Progress
from .score import chunked, score_rows, summarize, sync_directory

DEFAULT_BATCH_ROWS = 256
LINES_PER_BLOCK = 4096


def jsonl_datasource(path):
    """A Ray datasource streaming a JSONL file as raw lines, split exactly as the local reader splits them."""
    from ray.data.datasource import FileBasedDatasource

    class JsonLinesDatasource(FileBasedDatasource):
        def _read_stream(self, f, path):
            for lines in chunked(split_lines(f.read), LINES_PER_BLOCK):
                yield pa.table({"line": pa.array(lines, pa.binary())})

    return JsonLinesDatasource(path)


def read_dataset(path, text_column, id_column):
    """The input as a Ray Dataset: raw lines for JSONL, the text and id columns as read by Arrow otherwise."""
    import ray

    # Reading is light; reserving no CPU for it keeps every CPU for a scoring actor without starving the read.
    fmt = file_format(path, INPUT_FORMATS, "input")
    if fmt == "jsonl":
        return ray.data.read_datasource(jsonl_datasource(path), num_cpus=0)
    columns = [c for c in (text_column, id_column) if c is not None]
    if fmt == "csv":
        # Read as strings, like the csv module does, so a numeric-looking id keeps its spelling.
        convert = pacsv.ConvertOptions(column_types={c: pa.string() for c in columns}, include_columns=columns)
        return ray.data.read_csv(path, convert_options=convert, parse_options=pacsv.ParseOptions(newlines_in_values=True),
                                 num_cpus=0)
    return ray.data.read_parquet(path, columns=columns, num_cpus=0)


class RayScorer:
    """A Ray Data callable class: loads the model once per actor, then scores batches of input rows."""

    def __init__(self, model_dir, fmt, text_column, id_column, batch_size):
        self.classifier = MultiTaskClassifier.from_pretrained(model_dir)
        self.fmt, self.text_column, self.id_column, self.batch_size = fmt, text_column, id_column, batch_size

    def __call__(self, batch):
        if self.fmt == "jsonl":
            rows = [parse_jsonl_line(line, self.text_column, self.id_column) for line in batch.column("line").to_pylist()]
        else:
            rows = [record_row(record, self.text_column, self.id_column) for record in batch.to_pylist()]
        scored = score_rows(self.classifier, rows, self.text_column, self.batch_size)
        return pa.table({"row": pa.array([json.dumps(row, ensure_ascii=False) for row in scored], pa.string())})


def start_ray(address, num_cpus):
    """Join the cluster at `address`, or start a local Ray instance; True when this call started it."""
    import ray

    if ray.is_initialized():
        return False
    # Ship this code with the job so every node runs the same scorer; libraries must be installed there.
    env = {"py_modules": [str(Path(module.__file__).parent) for module in (geostance, service)]}
    if address:
        ray.init(address=address, runtime_env=env, logging_level=logging.WARNING)
    else:
        ray.init(num_cpus=num_cpus, include_dashboard=False, runtime_env=env, logging_level=logging.WARNING)
    return True


def score_with_ray(model_dir, input_path, output, *, text_column="text", id_column=None, batch_rows=DEFAULT_BATCH_ROWS,
                   batch_size=32, address=None, num_cpus=None, actors=None, progress_stream=None):
    """Score every row of `input_path` into `output` on Ray and return the summary (same rows as the local engine)."""
    import ray

    fmt = file_format(output, OUTPUT_FORMATS, "output")
    check_columns(input_path, text_column, id_column)
    model_dir = str(require_model_files(model_dir).resolve())
    schema = output_schema(LabelSchema.load(Path(model_dir) / "labels.json"))
    started = start_ray(address, num_cpus)
    try:
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        actors = actors or max(int(ray.cluster_resources().get("CPU", 1)), 1)
        in_fmt = file_format(input_path, INPUT_FORMATS, "input")
        dataset = read_dataset(str(Path(input_path).resolve()), text_column, id_column).map_batches(
            RayScorer, fn_constructor_args=(model_dir, in_fmt, text_column, id_column, batch_size),
            batch_size=batch_rows, batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1)
        return write_rows(dataset, output, fmt, schema, id_column, Progress(count_rows(input_path), stream=progress_stream))
    finally:
        if started:
            ray.shutdown()


def write_rows(dataset, output, fmt, schema, id_column, progress):
    """Stream the scored dataset in order into `output` (via a temporary file) and return the summary."""
    start = time.monotonic()
    tmp = Path(output).with_name(f".{Path(output).name}.tmp")
    writer = WRITERS[fmt](tmp, schema)
    rows = failed = 0
    for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
        scored = [json.loads(row) for row in batch.column("row").to_pylist()]
        if id_column is None:
            for number, row in enumerate(scored, start=rows + 1):
                row["id"] = str(number)
        rows += len(scored)
        failed += sum(row["error"] is not None for row in scored)
        writer.write(scored)
        progress.update(len(scored))
    writer.close()
    progress.close()
    os.replace(tmp, output)
    sync_directory(Path(output).resolve().parent)
    return summarize("ray", output, rows, failed, time.monotonic() - start, rows)
