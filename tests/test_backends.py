import json

import numpy as np
import pytest

from geostance import ModelFilesError, MultiTaskClassifier, load_examples
from geostance.backends import BackendError, choose_backend, int8_status
from service.app import create_app
from service.cli import main as service_main
from training.cli import main as training_main


def linked_copy(model_dir, dest, skip=()):
    """A model directory of symlinks to `model_dir`'s files, minus `skip`, with its own metrics.json."""
    dest.mkdir()
    for file in model_dir.iterdir():
        if file.name == "metrics.json":
            (dest / file.name).write_text(file.read_text())
        elif file.name not in skip:
            (dest / file.name).symlink_to(file)
    return dest


def set_parity_flag(model_dir, passed):
    metrics = json.loads((model_dir / "metrics.json").read_text())
    metrics["backends"]["int8_within_0.5_points"] = passed
    (model_dir / "metrics.json").write_text(json.dumps(metrics))


@pytest.fixture(scope="module")
def texts(tiny_path):
    return [ex.text for ex in load_examples(tiny_path)] + ["Minsk hosted the talks.", "Short."]


def test_training_writes_both_onnx_files_and_the_parity_check(model_dir):
    assert (model_dir / "model.onnx").is_file() and (model_dir / "model.int8.onnx").is_file()
    record = json.loads((model_dir / "metrics.json").read_text())["backends"]
    assert set(record["fp32"]) == set(record["int8"]) == {"stance", "sentiment"}
    assert isinstance(record["int8_within_0.5_points"], bool)
    losses = [record["fp32"][t] - record["int8"][t] for t in record["fp32"]]
    assert record["int8_within_0.5_points"] == all(loss <= 0.005 for loss in losses)


def test_onnx_fp32_probabilities_match_torch(model_dir, classifier, texts):
    onnx = MultiTaskClassifier.from_pretrained(model_dir, backend="onnx")
    assert onnx.backend.name == "onnx"
    reference, exported = classifier.predict_proba(texts, batch_size=4), onnx.predict_proba(texts, batch_size=4)
    for task in reference:
        np.testing.assert_allclose(exported[task], reference[task], atol=1e-4)


def test_int8_predictions_mostly_agree_with_torch(model_dir, classifier, texts):
    int8 = MultiTaskClassifier.from_pretrained(model_dir, backend="onnx-int8")
    reference, quantized = classifier.predict_proba(texts), int8.predict_proba(texts)
    for task in reference:
        agreement = (reference[task].argmax(axis=1) == quantized[task].argmax(axis=1)).mean()
        assert agreement >= 0.85, task
        assert np.abs(reference[task] - quantized[task]).max() < 0.2


def test_auto_prefers_int8_only_when_it_passed_the_parity_gate(model_dir, tmp_path):
    copy = linked_copy(model_dir, tmp_path / "m")
    set_parity_flag(copy, True)
    assert choose_backend(copy, "auto") == "onnx-int8"
    set_parity_flag(copy, False)
    assert choose_backend(copy, "auto") == "torch"
    assert int8_status(copy).startswith("refused: dev macro-F1 lost more than 0.5 points")
    assert MultiTaskClassifier.from_pretrained(copy).backend.name == "torch"


def test_auto_uses_torch_without_onnx_files(model_dir, tmp_path):
    copy = linked_copy(model_dir, tmp_path / "m", skip=("model.onnx", "model.int8.onnx"))
    assert choose_backend(copy) == "torch"
    assert int8_status(copy) == "not exported"


def test_a_missing_onnx_file_is_named(model_dir, tmp_path):
    copy = linked_copy(model_dir, tmp_path / "m", skip=("model.int8.onnx",))
    with pytest.raises(ModelFilesError, match="lacks model.int8.onnx"):
        MultiTaskClassifier.from_pretrained(copy, backend="onnx-int8")


def test_backend_comes_from_the_environment_and_bad_names_are_refused(model_dir, monkeypatch):
    monkeypatch.setenv("GEOSTANCE_BACKEND", "torch")
    assert choose_backend(model_dir) == "torch"
    monkeypatch.setenv("GEOSTANCE_BACKEND", "onnx-fp16")
    with pytest.raises(BackendError, match="unknown backend 'onnx-fp16'"):
        choose_backend(model_dir)


def test_serve_refuses_a_bad_backend_setting_before_starting(model_dir, monkeypatch, capsys):
    monkeypatch.setenv("GEOSTANCE_BACKEND", "gpu")
    assert service_main(["serve", "--model", str(model_dir)]) == 2
    assert "unknown backend 'gpu'" in capsys.readouterr().err


def test_evaluate_runs_any_backend(model_dir, tiny_path, capsys):
    reports = {}
    for backend in ("torch", "onnx", "onnx-int8"):
        assert training_main(["evaluate", "--model", str(model_dir), "--data", str(tiny_path), "--json", "--backend", backend]) == 0
        reports[backend] = json.loads(capsys.readouterr().out)
    assert reports["onnx"]["tasks"]["stance"]["confusion"] == reports["torch"]["tasks"]["stance"]["confusion"]
    assert reports["onnx-int8"]["n"] == 12


def test_export_command_rebuilds_the_onnx_files(model_dir, tmp_path, capsys):
    copy = linked_copy(model_dir, tmp_path / "m", skip=("model.onnx", "model.int8.onnx"))
    assert training_main(["export", "--model", str(copy)]) == 0
    assert "int8:" in capsys.readouterr().out
    assert MultiTaskClassifier.from_pretrained(copy, backend="onnx").backend.name == "onnx"
    assert "backends" in json.loads((copy / "metrics.json").read_text())


def test_model_endpoint_names_the_backend_and_a_refused_int8(model_dir, tmp_path):
    copy = linked_copy(model_dir, tmp_path / "m")
    set_parity_flag(copy, False)
    body = create_app({"MODEL_DIR": str(copy), "TESTING": True}).test_client().get("/v1/model").get_json()
    assert body["backend"]["name"] == "torch"
    assert body["backend"]["int8"].startswith("refused")
    assert "backends" not in body["metrics"]
