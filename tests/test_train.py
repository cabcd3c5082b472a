import json

import pytest

from geostance import DataError, MultiTaskClassifier
from training.train import TrainConfig, train

QUICK = TrainConfig(epochs=1, batch_size=4, max_steps=3, seed=3)


def test_training_record_describes_the_run(model_dir):
    record = json.loads((model_dir / "training.json").read_text())
    assert len(record["data_sha256"]) == 64
    assert record["base_model"].startswith("all-MiniLM-L6-v2")
    assert record["hyperparameters"]["seed"] == 7
    assert {"torch", "transformers", "python"} <= set(record["versions"])
    metrics = json.loads((model_dir / "metrics.json").read_text())
    assert metrics["dev"]["tasks"]["stance"]["accuracy"] == 1.0


def test_same_data_and_seed_give_the_same_metrics(tiny_path, tmp_path):
    train([tiny_path], tmp_path / "a", dev=[tiny_path], config=QUICK, progress=False)
    train([tiny_path], tmp_path / "b", dev=[tiny_path], config=QUICK, progress=False)
    assert (tmp_path / "a" / "metrics.json").read_text() == (tmp_path / "b" / "metrics.json").read_text()


def test_rows_with_some_labels_train_only_those_heads(tmp_path, tiny_path):
    rows = [json.loads(line) for line in tiny_path.read_text().splitlines()]
    for row in rows[:6]:
        del row["stance"]
    path = tmp_path / "partial.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    classifier = train([path], tmp_path / "m", config=QUICK, progress=False)
    assert classifier.schema.to_dict()["stance"] == ["balancing", "pro-Russia", "pro-West"]
    assert set(MultiTaskClassifier.from_pretrained(tmp_path / "m").task_names) == {"stance", "sentiment"}


def test_own_task_and_label_set(tmp_path):
    rows = [{"text": f"Paragraph {i} about {'gas' if i % 2 else 'tanks'}.", "frame": "energy" if i % 2 else "arms"} for i in range(8)]
    path = tmp_path / "frames.csv"
    path.write_text("text,frame\n" + "".join(f"{r['text']},{r['frame']}\n" for r in rows))
    classifier = train([path], tmp_path / "m", config=QUICK, progress=False)
    assert classifier.schema.to_dict() == {"frame": ["arms", "energy"]}


def test_bad_training_data_fails_before_training(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok", "stance": "pro-Russia"}\n{"text": "ok2", "stance": "pro-russia"}\n')
    with pytest.raises(DataError, match="bad.jsonl:2"):
        train([path], tmp_path / "m", config=QUICK, progress=False)
    assert not (tmp_path / "m").exists()
