"""Evaluating a classifier on labeled data."""

import numpy as np

from .metrics import task_report


def gold_indices(examples, schema, task):
    """Row positions that carry a label for `task` and those labels' indices."""
    rows = [i for i, ex in enumerate(examples) if task in ex.labels]
    return np.array(rows, dtype=np.int64), np.array([schema.index(task, examples[i].labels[task]) for i in rows], dtype=np.int64)


def report_from_probs(examples, schema, probs):
    """The DESIGN.md evaluation object for precomputed per-task probabilities."""
    tasks = {}
    for task in schema.task_names:
        rows, gold = gold_indices(examples, schema, task)
        if len(rows):
            tasks[task] = task_report(gold, probs[task][rows], schema.labels(task))
    return {"n": len(examples), "tasks": tasks}


def evaluate(classifier, examples, batch_size=32):
    """Score labeled examples with `classifier` and report every task's metrics."""
    probs = classifier.predict_proba([ex.text for ex in examples], batch_size=batch_size)
    return report_from_probs(examples, classifier.schema, probs)
