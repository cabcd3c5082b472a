"""Loading the served model and describing it for /v1/model."""

import hashlib
import json
from pathlib import Path

from geostance import MultiTaskClassifier
from geostance.backends import int8_status


def load_classifier(model_dir):
    return MultiTaskClassifier.from_pretrained(model_dir)


def model_id(model_dir):
    """Directory name plus a short hash of the heads and labels, so retrained models differ."""
    path = Path(model_dir)
    digest = hashlib.sha256()
    for name in ("heads.safetensors", "labels.json"):
        file = path / name
        if file.is_file():
            digest.update(file.read_bytes())
    return f"{path.resolve().name}-{digest.hexdigest()[:10]}"


def describe(model_dir, classifier):
    """The /v1/model body: id, tasks with their labels, inference backend, training summary and measured metrics."""
    path = Path(model_dir)
    info = {"id": model_id(path), "tasks": classifier.schema.to_dict(),
            "max_length": classifier.settings["max_length"],
            "backend": {"name": classifier.backend.name, "int8": int8_status(path)},
            "training": None, "metrics": None}
    training = path / "training.json"
    if training.is_file():
        record = json.loads(training.read_text())
        info["training"] = {k: record.get(k) for k in ("base_model", "n_train", "n_dev", "data_sha256", "train_seconds")}
    metrics = path / "metrics.json"
    if metrics.is_file():
        info["metrics"] = {split: {task: {k: m[k] for k in ("accuracy", "macro_f1", "macro_f1_ci95") if k in m}
                                   for task, m in report.get("tasks", {}).items()}
                           for split, report in json.loads(metrics.read_text()).items() if isinstance(report, dict) and "tasks" in report}
    return info
