"""Reading labeled paragraphs from JSON Lines and CSV files, with validation.

Every problem in a file is collected and reported together, each naming the file,
the line and the field, so a researcher can fix a file in one pass.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from .labels import CANONICAL_LABELS

METADATA_FIELDS = (
    "id", "text", "source_url", "source_type", "country", "year", "topic",
    "hard_case", "origin", "split", "notes", "title", "author", "date", "language",
)
MAX_PROBLEMS_SHOWN = 25


@dataclass
class Example:
    """One paragraph with the labels it carries (any subset of tasks)."""

    id: str
    text: str
    labels: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    where: str = ""


@dataclass
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self):
        place = f"{self.path}:{self.line}" if self.line else self.path
        return f"{place}: field '{self.field}': {self.message}" if self.field else f"{place}: {self.message}"


class DataError(ValueError):
    """One or more problems found in data files."""

    def __init__(self, problems):
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{shown}{tail}")


def load_examples(paths, schema=None):
    """Read and validate one or more JSONL/CSV files.

    With a `schema`, only its tasks are read as labels and each label must belong to
    it; without one, every non-metadata column is a task, and the tasks `stance` and
    `sentiment` must use their canonical labels. Raises DataError listing every problem.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    examples, problems, first_seen = [], [], {}
    for path in paths:
        for line, record, problem in _read_records(Path(path)):
            if problem:
                problems.append(problem)
                continue
            example, row_problems = _to_example(str(path), line, record, schema)
            problems.extend(row_problems)
            if example is None:
                continue
            if example.id in first_seen:
                problems.append(Problem(str(path), line, "id", f"duplicate id '{example.id}' (first seen at {first_seen[example.id]})"))
                continue
            first_seen[example.id] = example.where
            examples.append(example)
    if not examples and not problems:
        problems.append(Problem(", ".join(map(str, paths)), 0, "", "no rows found"))
    if problems:
        raise DataError(problems)
    return examples


def _read_records(path):
    """Yield (line number, record dict or None, Problem or None) for each row."""
    if not path.is_file():
        yield 0, None, Problem(str(path), 0, "", "file not found")
        return
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        yield line, None, Problem(str(path), line, "", f"not valid UTF-8 ({err.reason})")
        return
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _read_jsonl(path, content)
    elif suffix in (".csv", ".tsv"):
        yield from _read_csv(path, content, "\t" if suffix == ".tsv" else ",")
    else:
        yield 0, None, Problem(str(path), 0, "", f"unsupported file type '{path.suffix}' (use .jsonl or .csv)")


def _read_jsonl(path, content):
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield number, None, Problem(str(path), number, "", f"bad JSON: {err.msg} at column {err.colno}")
            continue
        if not isinstance(record, dict):
            yield number, None, Problem(str(path), number, "", f"expected a JSON object, got {type(record).__name__}")
            continue
        yield number, record, None


def _read_csv(path, content, delimiter):
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    if not reader.fieldnames or "text" not in reader.fieldnames:
        yield 1, None, Problem(str(path), 1, "text", "the header has no 'text' column")
        return
    for record in reader:
        if None in record:
            yield reader.line_num, None, Problem(str(path), reader.line_num, "", "more cells than header columns")
            continue
        yield reader.line_num, {k: (v if v != "" else None) for k, v in record.items()}, None


def _to_example(path, line, record, schema):
    problems = []

    def problem(field_name, message):
        problems.append(Problem(path, line, field_name, message))

    text = record.get("text")
    if "text" not in record or text is None:
        problem("text", "missing")
    elif not isinstance(text, str):
        problem("text", f"must be a string, got {type(text).__name__}")
    elif not text.strip():
        problem("text", "is empty")

    row_id = record.get("id")
    if row_id is None:
        row_id = f"{Path(path).name}:{line}"
    elif isinstance(row_id, bool) or not isinstance(row_id, (str, int)):
        problem("id", f"must be a string or integer, got {type(row_id).__name__}")
    else:
        row_id = str(row_id)

    labels = _read_labels(record, schema, problem)
    meta = _read_meta(record, schema, problem)
    if problems:
        return None, problems
    return Example(row_id, text, labels, meta, f"{path}:{line}"), problems


def _task_columns(record, schema):
    if schema is not None:
        return [task for task in schema.task_names if task in record]
    return [key for key in record if key not in METADATA_FIELDS]


def _read_labels(record, schema, problem):
    labels = {}
    for task in _task_columns(record, schema):
        value = record[task]
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            problem(task, f"label must be a string, got {type(value).__name__}")
            continue
        allowed = schema.labels(task) if schema is not None else CANONICAL_LABELS.get(task)
        if allowed is not None and value not in allowed:
            problem(task, f"unknown label '{value}' (expected one of {', '.join(allowed)})")
            continue
        labels[task] = value
    return labels


def _read_meta(record, schema, problem):
    meta = {k: v for k, v in record.items() if k in METADATA_FIELDS and k not in ("id", "text")}
    if schema is not None:
        meta.update({k: v for k, v in record.items() if k not in METADATA_FIELDS and k not in schema.tasks})
    year = meta.get("year")
    if isinstance(year, str) and year.strip().lstrip("-").isdigit():
        meta["year"] = int(year)
    elif year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        problem("year", f"must be an integer, got {year!r}")
    hard = meta.get("hard_case")
    if isinstance(hard, str) and hard.strip().lower() in ("true", "false", "1", "0"):
        meta["hard_case"] = hard.strip().lower() in ("true", "1")
    elif hard is not None and not isinstance(hard, bool):
        problem("hard_case", f"must be true or false, got {hard!r}")
    return meta
