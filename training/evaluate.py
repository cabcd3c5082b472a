"""Evaluating a classifier on labeled data: metrics before and after calibration, breakdowns, mistakes."""

import sys

import numpy as np
from tqdm import tqdm

from geostance.model import softmax

from .metrics import (expected_calibration_error, log_loss, macro_f1, paired_bootstrap_difference, reliability_bins,
                      summary_scores, task_report)

CHUNK = 256
BREAKDOWN_COLUMNS = ("country", "source_type", "hard_case")


def gold_indices(examples, schema, task):
    """Row positions that carry a label for `task` and those labels' indices."""
    rows = [i for i, ex in enumerate(examples) if task in ex.labels]
    return np.array(rows, dtype=np.int64), np.array([schema.index(task, examples[i].labels[task]) for i in rows], dtype=np.int64)


def report_from_probs(examples, schema, probs, raw_probs=None):
    """The DESIGN.md evaluation object for precomputed per-task probabilities.

    With `raw_probs` (the uncalibrated softmax), each task also gets its ECE, log-loss
    and reliability table before calibration.
    """
    tasks = {}
    for task in schema.task_names:
        rows, gold = gold_indices(examples, schema, task)
        if not len(rows) or task not in probs:
            continue
        tasks[task] = task_report(gold, probs[task][rows], schema.labels(task))
        if raw_probs is not None:
            raw = raw_probs[task][rows]
            tasks[task].update(ece_uncalibrated=expected_calibration_error(gold, raw), log_loss_uncalibrated=log_loss(gold, raw),
                               reliability_uncalibrated=reliability_bins(gold, raw))
    return {"n": len(examples), "tasks": tasks}


def score_logits(classifier, examples, batch_size=32, progress=False):
    """Per-task logits of every example from one encoder pass, with a progress bar on stderr for long inputs."""
    texts = [ex.text for ex in examples]
    parts = []
    with tqdm(total=len(texts), desc="scoring", unit="text", file=sys.stderr, disable=not progress or len(texts) <= CHUNK) as bar:
        for start in range(0, len(texts), CHUNK):
            parts.append(classifier.logits(texts[start:start + CHUNK], batch_size)[0])
            bar.update(len(parts[-1][classifier.task_names[0]]))
    if not parts:
        return classifier.logits([])[0]
    return {task: np.concatenate([part[task] for part in parts]) for task in classifier.task_names}


def report_from_logits(classifier, examples, logits):
    """The evaluation object with calibrated metrics, the uncalibrated ones beside them, and each temperature."""
    raw = {task: softmax(task_logits) for task, task_logits in logits.items()}
    report = report_from_probs(examples, classifier.schema, classifier.probabilities(logits), raw)
    temperatures = classifier.settings.get("temperatures", {})
    for task, metrics in report["tasks"].items():
        metrics["temperature"] = float(temperatures.get(task, 1.0))
    return report


def evaluate(classifier, examples, batch_size=32, progress=False):
    """Score labeled examples with `classifier` and report every task's metrics."""
    return report_from_logits(classifier, examples, score_logits(classifier, examples, batch_size, progress))


def breakdowns(examples, schema, probs, columns=BREAKDOWN_COLUMNS):
    """Accuracy and macro-F1 per value of each metadata column the data has: {column: {value: {task: scores}}}."""
    tables = {}
    for column in columns:
        values = sorted({str(ex.meta[column]) for ex in examples if ex.meta.get(column) is not None})
        if not values:
            continue
        tables[column] = {}
        for value in values:
            subset = [i for i, ex in enumerate(examples) if str(ex.meta.get(column)) == value]
            tables[column][value] = {}
            for task, task_probs in probs.items():
                rows, gold = gold_indices([examples[i] for i in subset], schema, task)
                if len(rows):
                    tables[column][value][task] = summary_scores(gold, task_probs[np.array(subset)[rows]], len(schema.labels(task)))
    return tables


def confident_mistakes(examples, schema, probs, limit=10):
    """Per task, the `limit` wrong predictions made with the highest confidence."""
    mistakes = {}
    for task, task_probs in probs.items():
        rows, gold = gold_indices(examples, schema, task)
        labels = schema.labels(task)
        pred = task_probs[rows].argmax(axis=1)
        confidence = task_probs[rows].max(axis=1)
        wrong = np.flatnonzero(pred != gold)
        wrong = wrong[np.argsort(-confidence[wrong], kind="stable")][:limit]
        mistakes[task] = [{"id": examples[rows[i]].id, "text": examples[rows[i]].text, "gold": labels[gold[i]],
                           "predicted": labels[pred[i]], "confidence": round(float(confidence[i]), 4)} for i in wrong]
    return mistakes


def baseline_scores(examples, schema, baseline_probs):
    """Headline scores of each baseline's per-task probabilities on the same rows: {name: {task: scores}}."""
    table = {}
    for name, probs in baseline_probs.items():
        report = report_from_probs(examples, schema, probs)
        table[name] = {task: {key: m[key] for key in ("n", "accuracy", "macro_f1", "macro_f1_ci95", "log_loss", "ece")}
                       for task, m in report["tasks"].items()}
    return table


def full_report(classifier, examples, *, baseline_probs=None, errors=10, batch_size=32, progress=False):
    """Everything `evaluate --report` shows for one model; returns (report, calibrated per-task probabilities)."""
    logits = score_logits(classifier, examples, batch_size, progress)
    report = report_from_logits(classifier, examples, logits)
    probs = classifier.probabilities(logits)
    report["breakdowns"] = breakdowns(examples, classifier.schema, probs)
    report["errors"] = confident_mistakes(examples, classifier.schema, probs, errors)
    if baseline_probs:
        report["baselines"] = baseline_scores(examples, classifier.schema, baseline_probs)
        report["model_vs_baselines"] = {name: compare(examples, classifier.schema, p, probs) for name, p in baseline_probs.items()}
    return report, probs


def compare(examples, schema, probs_a, probs_b):
    """Per shared task: macro-F1 of A and B on the same rows and B minus A with a paired bootstrap 95% interval."""
    table = {}
    for task in probs_a.keys() & probs_b.keys():
        rows, gold = gold_indices(examples, schema, task)
        if not len(rows):
            continue
        n_labels = len(schema.labels(task))
        pred_a, pred_b = probs_a[task][rows].argmax(axis=1), probs_b[task][rows].argmax(axis=1)
        difference, interval = paired_bootstrap_difference(gold, pred_a, pred_b, n_labels)
        table[task] = {"n": int(len(rows)), "macro_f1_a": macro_f1(gold, pred_a, n_labels), "macro_f1_b": macro_f1(gold, pred_b, n_labels),
                       "difference": difference, "difference_ci95": interval}
    return {task: table[task] for task in schema.task_names if task in table}
