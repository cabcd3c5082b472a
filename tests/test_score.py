import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from geostance import MultiTaskClassifier
from service import score as score_module
from service.batch_io import ScoreError, read_output
from service.cli import main as service_main
from service.ray_engine import score_with_ray
from service.score import parts_dir, score_file

ROOT = Path(__file__).resolve().parent.parent
BAD_LINES = ['{"id": "b1", "text": ""}', '{"id": "b2", "text": 42}', '{"id": "b3"}', "{not json", '["a list"]']


@pytest.fixture(scope="module")
def tiny_rows(tiny_path):
    return [{"id": r["id"], "text": r["text"]} for r in map(json.loads, tiny_path.read_text().splitlines())]


@pytest.fixture(scope="module")
def auto_classifier(model_dir):
    """The model as the scorer loads it (default backend), the reference for its output."""
    return MultiTaskClassifier.from_pretrained(model_dir)


def write_input(path, rows):
    """Write rows as JSONL, CSV or Parquet by the file's extension."""
    frame = pd.DataFrame(rows)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def labels(rows):
    return [(row["id"], row["stance"] and row["stance"]["label"], row["sentiment"] and row["sentiment"]["label"], row["error"])
            for row in rows]


@pytest.mark.parametrize("input_name, output_name", [
    ("in.jsonl", "out.jsonl"), ("in.csv", "out.parquet"), ("in.parquet", "out.jsonl"), ("in.jsonl", "out.parquet"),
])
def test_round_trip_keeps_order_ids_and_labels(model_dir, auto_classifier, tiny_rows, tmp_path, input_name, output_name):
    source = write_input(tmp_path / input_name, tiny_rows)
    out = tmp_path / output_name
    summary = score_file(model_dir, source, out, id_column="id", chunk_size=5)
    rows = list(read_output(out))
    expected = auto_classifier.classify([r["text"] for r in tiny_rows])
    assert [row["id"] for row in rows] == [r["id"] for r in tiny_rows]
    assert [row["stance"]["label"] for row in rows] == [e["stance"]["label"] for e in expected]
    # The default int8 backend quantizes activations with one scale per batch, so a row's
    # scores shift slightly with the rows it is batched with.
    for row, result in zip(rows, expected):
        assert row["sentiment"]["scores"] == pytest.approx(result["sentiment"]["scores"], abs=5e-3)
    assert summary["rows"] == summary["scored"] == len(tiny_rows) and summary["failed"] == 0
    assert not parts_dir(out).exists()


def test_without_id_column_the_row_number_is_the_id(model_dir, tiny_rows, tmp_path):
    source = write_input(tmp_path / "in.csv", [{"text": r["text"]} for r in tiny_rows[:3]])
    score_file(model_dir, source, tmp_path / "out.jsonl")
    assert [row["id"] for row in read_output(tmp_path / "out.jsonl")] == ["1", "2", "3"]


def test_bad_rows_get_errors_and_the_job_completes(model_dir, tiny_rows, tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([json.dumps(tiny_rows[0])] + BAD_LINES + [json.dumps(tiny_rows[1])]) + "\n")
    out = tmp_path / "out.jsonl"
    assert service_main(["score", "--model", str(model_dir), "--input", str(source), "--output", str(out), "--id-column", "id"]) == 0
    rows = list(read_output(out))
    assert [row["error"] for row in rows] == [
        None, "field 'text' is empty", "field 'text' must be text, got int", "field 'text' is missing",
        "bad JSON: Expecting property name enclosed in double quotes at column 2", "expected a JSON object, got list", None]
    assert [row["id"] for row in rows] == ["t01", "b1", "b2", "b3", None, None, "t02"]
    assert rows[1]["stance"] is None and rows[6]["stance"]["label"]
    assert "7 rows: 2 scored, 5 failed" in capsys.readouterr().err


def test_job_errors_exit_2_with_a_message(model_dir, tiny_rows, tiny_path, tmp_path, capsys):
    score = ["score", "--model", str(model_dir), "--input"]
    csv_input = write_input(tmp_path / "in.csv", tiny_rows[:2])
    for args, message in [
        ([str(tmp_path / "missing.jsonl"), "--output", str(tmp_path / "o.jsonl")], "input file not found"),
        ([str(tiny_path), "--output", str(tmp_path / "o.csv")], "unsupported extension '.csv'"),
        ([str(csv_input), "--output", str(tmp_path / "o.jsonl"), "--text-column", "body"], "has no column 'body'"),
        ([str(tiny_path), "--output", str(tmp_path / "o.jsonl"), "--engine", "ray", "--resume"], "--engine local only"),
    ]:
        assert service_main(score + args) == 2
        assert message in capsys.readouterr().err


def crash_after_first_chunk(monkeypatch):
    """Make the local engine fail while scoring its second chunk, as a crash would."""
    real, calls = score_module.score_rows, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("simulated crash")
        return real(*args, **kwargs)

    monkeypatch.setattr(score_module, "score_rows", flaky)


def test_partial_state_needs_resume_and_a_changed_input_refuses_it(model_dir, tiny_rows, tmp_path, monkeypatch):
    source = write_input(tmp_path / "in.jsonl", tiny_rows)
    out = tmp_path / "out.jsonl"
    crash_after_first_chunk(monkeypatch)
    with pytest.raises(RuntimeError):
        score_file(model_dir, source, out, id_column="id", chunk_size=4)
    monkeypatch.undo()
    assert [p.name for p in parts_dir(out).glob("part-*")] == ["part-000000.jsonl"]
    with pytest.raises(ScoreError, match="rerun with --resume"):
        score_file(model_dir, source, out, id_column="id", chunk_size=4)
    with pytest.raises(ScoreError, match="--chunk-size was 4"):
        score_file(model_dir, source, out, id_column="id", chunk_size=5, resume=True)
    write_input(source, tiny_rows + tiny_rows[:1])
    with pytest.raises(ScoreError, match="the input file changed since the first run"):
        score_file(model_dir, source, out, id_column="id", chunk_size=4, resume=True)
    assert not out.exists()


def test_kill_9_then_resume_gives_every_row_once_with_the_same_labels(model_dir, tiny_rows, tmp_path):
    rows = [{"id": f"r{i:03d}", "text": tiny_rows[i % len(tiny_rows)]["text"]} for i in range(96)]
    source = write_input(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "service", "score", "--model", str(model_dir), "--input", str(source),
               "--output", str(out), "--id-column", "id", "--chunk-size", "4"]
    job = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not list(parts_dir(out).glob("part-000000.*")):
            assert job.poll() is None and time.monotonic() < deadline, "the job ended before committing a chunk"
            time.sleep(0.02)
        os.kill(job.pid, signal.SIGKILL)
    finally:
        job.wait()
    assert job.returncode == -signal.SIGKILL and not out.exists()
    committed = len(list(parts_dir(out).glob("part-*")))
    assert 0 < committed < len(rows) // 4
    summary = score_file(model_dir, source, out, id_column="id", chunk_size=4, resume=True)
    assert summary["rows"] == len(rows) and summary["rows_per_second"] > 0
    reference = tmp_path / "reference.jsonl"
    score_file(model_dir, source, reference, id_column="id", chunk_size=4)
    resumed = list(read_output(out))
    assert [row["id"] for row in resumed] == [row["id"] for row in rows]
    assert labels(resumed) == labels(read_output(reference))


def test_ray_engine_equals_local_engine(model_dir, tiny_rows, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([json.dumps({"text": r["text"]}) for r in tiny_rows[:6]] + BAD_LINES) + "\n")
    local = score_file(model_dir, source, tmp_path / "local.jsonl", chunk_size=4)
    ray = score_with_ray(model_dir, source, tmp_path / "ray.jsonl", batch_rows=4, num_cpus=2, actors=2)
    assert (ray["rows"], ray["failed"]) == (local["rows"], local["failed"]) == (11, 5)
    local_rows, ray_rows = list(read_output(tmp_path / "local.jsonl")), list(read_output(tmp_path / "ray.jsonl"))
    assert labels(ray_rows) == labels(local_rows)
    assert [r["id"] for r in ray_rows] == [str(n) for n in range(1, 12)]
    for a, b in zip(local_rows, ray_rows):
        assert a["error"] is not None or b["stance"]["scores"] == pytest.approx(a["stance"]["scores"], abs=1e-4)
