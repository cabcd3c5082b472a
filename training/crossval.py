"""K-fold cross-validation, folds grouped by source domain so no source feeds both sides of a fold."""

import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from geostance import DataError, MultiTaskClassifier, load_examples

from .corpus import source_groups, write_jsonl
from .evaluate import evaluate
from .train import train

CV_METRICS = ("accuracy", "macro_f1", "log_loss", "ece", "ece_uncalibrated")


def fold_indices(examples, k):
    """K (train, held-out) index arrays; rows of one source domain stay together, rows without a source are their own group."""
    groups = np.empty(len(examples), dtype=object)
    for key, rows in source_groups(examples).items():
        groups[rows] = key
    if len(set(groups)) < k:
        raise DataError([f"--cv {k} needs at least {k} source groups; the data has {len(set(groups))}"])
    return list(GroupKFold(n_splits=k).split(np.zeros(len(examples)), groups=groups))


def known_labels(examples, schema):
    """Copies of `examples` keeping only labels `schema` knows, and how many labels were set aside.

    A label absent from the K-1 training folds cannot be predicted by that fold's model;
    it is counted in the result rather than failing the run.
    """
    kept, unknown = [], 0
    for ex in examples:
        labels = {t: v for t, v in ex.labels.items() if t in schema.tasks and v in schema.labels(t)}
        unknown += len(ex.labels) - len(labels)
        kept.append(replace(ex, labels=labels))
    return kept, unknown


def cross_validate(data, k, *, base_model=None, config=None, progress=True):
    """Train K models on K-1 folds each, evaluate each on its held-out fold; mean and std per task and metric."""
    examples = load_examples(data)
    grouped = any(ex.meta.get("source_url") for ex in examples)
    folds = []
    with tempfile.TemporaryDirectory(prefix="geostance-cv-") as tmp:
        for fold, (train_rows, test_rows) in enumerate(fold_indices(examples, k), start=1):
            train_path = Path(tmp, f"fold{fold}-train.jsonl")
            write_jsonl(train_path, [examples[i] for i in train_rows])
            out = Path(tmp, f"fold{fold}-model")
            train([train_path], out, base_model=base_model, config=config, progress=progress)
            classifier = MultiTaskClassifier.from_pretrained(out)
            held_out, unknown = known_labels([examples[i] for i in test_rows], classifier.schema)
            folds.append({**evaluate(classifier, held_out), "labels_unknown_to_fold_model": unknown})
    tasks = {}
    for task in dict.fromkeys(t for report in folds for t in report["tasks"]):
        per_fold = [report["tasks"][task] for report in folds if task in report["tasks"]]
        tasks[task] = {name: {"mean": float(np.mean([m[name] for m in per_fold])), "std": float(np.std([m[name] for m in per_fold], ddof=1)) if len(per_fold) > 1 else 0.0}
                       for name in CV_METRICS}
    return {"k": k, "n": len(examples), "grouping": "grouped by source domain" if grouped else "one row per group (no source_url)",
            "folds": [{"n": r["n"], "labels_unknown_to_fold_model": r["labels_unknown_to_fold_model"], "tasks": {t: {name: m[name] for name in CV_METRICS} for t, m in r["tasks"].items()}} for r in folds],
            "tasks": tasks}
