import json

from training.cli import main as training_main
from service.cli import main as service_main


def test_evaluate_json_has_the_design_shape(model_dir, tiny_path, capsys):
    assert training_main(["evaluate", "--model", str(model_dir), "--data", str(tiny_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 12
    stance = report["tasks"]["stance"]
    assert {"accuracy", "macro_f1", "macro_f1_ci95", "per_label", "confusion", "ece"} <= set(stance)
    assert set(stance["per_label"]) == {"balancing", "pro-Russia", "pro-West"}
    assert set(stance["per_label"]["pro-West"]) == {"precision", "recall", "f1", "support"}
    assert sum(map(sum, stance["confusion"])) == 12


def test_evaluate_text_report(model_dir, tiny_path, capsys):
    assert training_main(["evaluate", "--model", str(model_dir), "--data", str(tiny_path)]) == 0
    assert "macro-F1" in capsys.readouterr().out


def test_evaluate_reports_bad_data_and_exits_2(model_dir, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "stance": "neutral"}\n')
    assert training_main(["evaluate", "--model", str(model_dir), "--data", str(bad)]) == 2
    assert f"{bad}:1: field 'stance'" in capsys.readouterr().err


def test_missing_model_directory_is_named(tmp_path, capsys):
    assert training_main(["evaluate", "--model", str(tmp_path / "nope"), "--data", "x.jsonl"]) == 2
    assert "model directory not found" in capsys.readouterr().err
    assert service_main(["serve", "--model", str(tmp_path / "nope")]) == 2


def test_train_command_writes_a_model(tiny_path, tmp_path, capsys):
    out = tmp_path / "cli-model"
    assert training_main(["train", "--data", str(tiny_path), "--out", str(out), "--max-steps", "2", "--batch-size", "4"]) == 0
    assert (out / "training.json").is_file()
