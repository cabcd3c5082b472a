import json
import shutil

import pytest

from geostance import load_examples
from training.card import write_card
from training.cli import main as training_main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report_dir(model_dir, tiny_path, tmp_path_factory):
    """One full `evaluate --report` run on the tiny model, baselines trained on the tiny file."""
    out = tmp_path_factory.mktemp("report")
    assert training_main(["evaluate", "--model", str(model_dir), "--data", str(tiny_path), "--report", str(out), "--json"]) == 0
    return out


def test_report_files_exist_and_parse(report_dir):
    metrics = json.loads((report_dir / "metrics.json").read_text())
    for task in ("stance", "sentiment"):
        for kind in ("confusion", "reliability"):
            assert (report_dir / f"{kind}_{task}.png").read_bytes()[:8] == PNG_SIGNATURE
        assert f"![confusion_{task}.png](confusion_{task}.png)" in (report_dir / "report.md").read_text()
    assert {"majority", "tfidf-logreg", "zero-shot"} == set(metrics["baselines"]) == set(metrics["model_vs_baselines"])
    versus = metrics["model_vs_baselines"]["majority"]["stance"]
    assert versus["difference"] == pytest.approx(metrics["tasks"]["stance"]["macro_f1"] - metrics["baselines"]["majority"]["stance"]["macro_f1"])


def test_report_keeps_the_design_keys_and_adds_calibration(report_dir):
    stance = json.loads((report_dir / "metrics.json").read_text())["tasks"]["stance"]
    assert {"accuracy", "macro_f1", "macro_f1_ci95", "per_label", "confusion", "ece"} <= set(stance)
    assert {"ece_uncalibrated", "log_loss", "log_loss_uncalibrated", "temperature", "reliability"} <= set(stance)
    lo, hi = stance["macro_f1_ci95"]
    assert lo <= stance["macro_f1"] <= hi


def test_majority_baseline_predicts_the_most_frequent_training_label(report_dir, tiny_path):
    majority = json.loads((report_dir / "metrics.json").read_text())["baselines"]["majority"]["stance"]
    rows = load_examples(tiny_path)
    counts = {label: sum(ex.labels["stance"] == label for ex in rows) for label in ("balancing", "pro-Russia", "pro-West")}
    top = max(sorted(counts), key=counts.get)  # ties go to the first label in schema order, as argmax does
    assert majority["accuracy"] == pytest.approx(counts[top] / len(rows))


def test_breakdowns_and_mistakes_follow_the_data(model_dir, tmp_path, tiny_path, capsys):
    rows = [json.loads(line) for line in tiny_path.read_text().splitlines()]
    for i, row in enumerate(rows):
        row["country"] = "Serbia" if i % 2 else "Georgia"
        row["stance"] = {"pro-Russia": "pro-West", "pro-West": "balancing", "balancing": "pro-Russia"}[row["stance"]]
    path = tmp_path / "shifted.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert training_main(["evaluate", "--model", str(model_dir), "--data", str(path), "--no-baselines", "--errors", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["breakdowns"]) == {"country"}
    assert report["breakdowns"]["country"]["Serbia"]["stance"]["n"] == 6
    mistakes = report["errors"]["stance"]
    assert len(mistakes) == 3 and all(m["gold"] != m["predicted"] for m in mistakes)
    assert [m["confidence"] for m in mistakes] == sorted((m["confidence"] for m in mistakes), reverse=True)


def test_comparing_a_model_with_itself_gives_zero_difference(model_dir, tiny_path, capsys):
    args = ["evaluate", "--model", str(model_dir), "--model", str(model_dir), "--data", str(tiny_path), "--no-baselines", "--json"]
    assert training_main(args) == 0
    comparison = json.loads(capsys.readouterr().out)["comparison"]
    assert comparison["tasks"]["stance"]["difference"] == 0.0
    assert comparison["tasks"]["stance"]["difference_ci95"] == [0.0, 0.0]


def test_missing_baseline_training_data_is_named(model_dir, tiny_path, tmp_path, capsys):
    missing = tmp_path / "gone.jsonl"
    assert training_main(["evaluate", "--model", str(model_dir), "--data", str(tiny_path), "--train-data", str(missing)]) == 2
    assert "gone.jsonl" in capsys.readouterr().err


def test_cross_validation_reports_mean_and_std(tiny_path, tmp_path, capsys):
    args = ["evaluate", "--data", str(tiny_path), "--cv", "2", "--max-steps", "1", "--json", "--report", str(tmp_path / "cv")]
    assert training_main(args) == 0
    cv = json.loads(capsys.readouterr().out)["cv"]
    assert cv["k"] == 2 and len(cv["folds"]) == 2
    assert sum(fold["n"] for fold in cv["folds"]) == 12
    assert {"mean", "std"} == set(cv["tasks"]["stance"]["macro_f1"])
    assert "2-fold cross-validation" in (tmp_path / "cv" / "report.md").read_text()


def test_cv_refuses_more_folds_than_groups(tiny_path, capsys):
    assert training_main(["evaluate", "--data", str(tiny_path), "--cv", "13"]) == 2
    assert "needs at least 13 source groups" in capsys.readouterr().err


def test_card_has_the_model_card_sections(model_dir, report_dir, tmp_path):
    card = write_card(model_dir, report_dir, tmp_path / "card.md").read_text()
    for section in ("Model details", "Intended use", "Out-of-scope use", "Training data", "Evaluation data", "Metrics",
                    "Calibration", "Limitations and biases", "How to retrain"):
        assert f"## {section}" in card
    assert "| tfidf-logreg |" in card
    assert (model_dir / "model_card.md").is_file()  # training writes one too


def test_card_command_names_a_missing_report(model_dir, tmp_path, capsys):
    assert training_main(["card", "--model", str(model_dir), "--report-dir", str(tmp_path), "--out", str(tmp_path / "c.md")]) == 2
    assert "lacks metrics.json" in capsys.readouterr().err


def test_calibrate_command_writes_temperatures(model_dir, tiny_path, tmp_path, capsys):
    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy)
    (copy / "classifier.json").write_text(json.dumps({**json.loads((copy / "classifier.json").read_text()), "temperatures": {}}))
    assert training_main(["calibrate", "--model", str(copy), "--dev", str(tiny_path)]) == 0
    assert "temperatures: stance" in capsys.readouterr().out
    assert set(json.loads((copy / "classifier.json").read_text())["temperatures"]) == {"stance", "sentiment"}
