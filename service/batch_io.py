"""Streaming readers and writers for batch scoring: JSONL, CSV and Parquet in, JSONL and Parquet out.

Every reader yields input rows as `(id, value, problem)`: the row's id (None when the
input has no id column, so the caller numbers it), the raw value of the text column,
and a message when the row itself could not be read (bad JSON, a missing id).
"""

import csv
import json
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

INPUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
OUTPUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
READ_BLOCK = 1 << 20


class ScoreError(Exception):
    """The batch job itself cannot run (bad arguments, unreadable input, changed input on resume)."""


def file_format(path, formats, role):
    """The format name for `path` by extension, or a ScoreError listing the supported ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in formats:
        raise ScoreError(f"{role} {path}: unsupported extension '{suffix}' (use {', '.join(sorted(formats))})")
    return formats[suffix]


def split_lines(read):
    """Yield the non-blank lines (bytes, without newline) of a binary stream, splitting only on b'\\n'."""
    rest = b""
    while block := read(READ_BLOCK):
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        yield from (line for line in lines if line.strip())
    if rest.strip():
        yield rest


def record_row(record, text_column, id_column):
    """The (id, value, problem) of one input record (a dict)."""
    if id_column is None:
        return None, record.get(text_column), None
    row_id = record.get(id_column)
    if row_id is None or row_id == "":
        return None, record.get(text_column), f"field '{id_column}' is missing"
    return str(row_id), record.get(text_column), None


def parse_jsonl_line(line, text_column, id_column):
    """The (id, value, problem) of one JSONL line given as bytes."""
    try:
        record = json.loads(line)
    except UnicodeDecodeError as err:
        return None, None, f"not valid UTF-8 ({err.reason})"
    except json.JSONDecodeError as err:
        return None, None, f"bad JSON: {err.msg} at column {err.colno}"
    if not isinstance(record, dict):
        return None, None, f"expected a JSON object, got {type(record).__name__}"
    return record_row(record, text_column, id_column)


def check_text(value, text_column):
    """None when `value` can be scored, else a message naming what is wrong."""
    if value is None:
        return f"field '{text_column}' is missing"
    if not isinstance(value, str):
        return f"field '{text_column}' must be text, got {type(value).__name__}"
    if not value.strip():
        return f"field '{text_column}' is empty"
    return None


def check_columns(path, text_column, id_column):
    """Raise ScoreError when a CSV header or Parquet schema lacks a requested column."""
    fmt = file_format(path, INPUT_FORMATS, "input")
    if not Path(path).is_file():
        raise ScoreError(f"input file not found: {path}")
    if fmt == "jsonl":
        return
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8-sig") as f:
            columns = next(csv.reader(f), [])
    else:
        columns = pq.ParquetFile(path).schema_arrow.names
    for column in (text_column, id_column):
        if column is not None and column not in columns:
            raise ScoreError(f"input {path} has no column '{column}' (columns: {', '.join(columns) or 'none'})")


def count_rows(path):
    """The number of input rows, exact for Parquet and JSONL, from line breaks for CSV (for the ETA only)."""
    fmt = file_format(path, INPUT_FORMATS, "input")
    if fmt == "parquet":
        return pq.ParquetFile(path).metadata.num_rows
    with open(path, "rb") as f:
        lines = sum(1 for _ in split_lines(f.read))
    return lines - 1 if fmt == "csv" else lines


def read_rows(path, text_column, id_column):
    """Yield (id, value, problem) for every input row in order, numbering rows from 1 when there is no id column."""
    check_columns(path, text_column, id_column)
    reader = {"jsonl": _jsonl_rows, "csv": _csv_rows, "parquet": _parquet_rows}[file_format(path, INPUT_FORMATS, "input")]
    for number, (row_id, value, problem) in enumerate(reader(path, text_column, id_column), start=1):
        yield (str(number) if id_column is None else row_id), value, problem


def _jsonl_rows(path, text_column, id_column):
    with open(path, "rb") as f:
        for line in split_lines(f.read):
            yield parse_jsonl_line(line, text_column, id_column)


def _csv_rows(path, text_column, id_column):
    # Paragraph-long cells can exceed the csv module's 128 KiB default.
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8-sig") as f:
        for record in csv.DictReader(f):
            if None in record:
                yield None, None, "more cells than header columns"
            else:
                yield record_row(record, text_column, id_column)


def _parquet_rows(path, text_column, id_column):
    columns = [c for c in (text_column, id_column) if c is not None]
    for batch in pq.ParquetFile(path).iter_batches(batch_size=4096, columns=columns):
        for record in batch.to_pylist():
            yield record_row(record, text_column, id_column)


def output_schema(schema):
    """The Arrow schema of output rows for a label schema: id, one struct per task, windows, error."""
    fields = [pa.field("id", pa.string())]
    for task in schema.task_names:
        scores = pa.struct([pa.field(label, pa.float64()) for label in schema.labels(task)])
        fields.append(pa.field(task, pa.struct([pa.field("label", pa.string()), pa.field("scores", scores)])))
    fields += [pa.field("windows", pa.int64()), pa.field("error", pa.string())]
    return pa.schema(fields)


class JsonlWriter:
    """Append output rows to a JSONL file; `close` flushes them to disk."""

    def __init__(self, path, schema=None):
        self.file = open(path, "w", encoding="utf-8")

    def write(self, rows):
        self.file.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)

    def close(self):
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()


class ParquetWriter:
    """Append output rows to a Parquet file; `close` writes the footer and flushes to disk."""

    def __init__(self, path, schema):
        self.path, self.schema = path, schema
        self.writer = pq.ParquetWriter(path, schema)

    def write(self, rows):
        self.writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))

    def close(self):
        self.writer.close()
        with open(self.path, "rb") as f:
            os.fsync(f.fileno())


WRITERS = {"jsonl": JsonlWriter, "parquet": ParquetWriter}


def read_output(path):
    """Yield the rows of a JSONL or Parquet output file in order."""
    if file_format(path, OUTPUT_FORMATS, "output") == "jsonl":
        with open(path, "rb") as f:
            yield from (json.loads(line) for line in split_lines(f.read))
    else:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
            yield from batch.to_pylist()
