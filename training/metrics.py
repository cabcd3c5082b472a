"""Classification metrics computed from gold label indices and probability matrices."""

import numpy as np


def confusion_matrix(gold, pred, n_labels):
    """Rows are gold labels, columns predicted labels."""
    matrix = np.zeros((n_labels, n_labels), dtype=np.int64)
    np.add.at(matrix, (gold, pred), 1)
    return matrix


def per_label_scores(matrix):
    """Precision, recall, F1 and support per label from a confusion matrix (0 where undefined)."""
    tp = np.diag(matrix).astype(float)
    predicted = matrix.sum(axis=0).astype(float)
    support = matrix.sum(axis=1).astype(float)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros_like(tp), where=total > 0)
    return precision, recall, f1, support


def macro_f1(gold, pred, n_labels):
    """Mean F1 over the labels present in gold or predictions."""
    matrix = confusion_matrix(gold, pred, n_labels)
    f1 = per_label_scores(matrix)[2]
    present = (matrix.sum(axis=0) + matrix.sum(axis=1)) > 0
    return float(f1[present].mean()) if present.any() else 0.0


def bootstrap_ci(gold, pred, n_labels, statistic=macro_f1, rounds=1000, seed=0):
    """95% percentile bootstrap interval of `statistic` over resampled rows."""
    rng = np.random.default_rng(seed)
    n = len(gold)
    values = [statistic(gold[idx], pred[idx], n_labels) for idx in rng.integers(0, n, size=(rounds, n))]
    return [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))]


def paired_bootstrap_difference(gold, pred_a, pred_b, n_labels, statistic=macro_f1, rounds=1000, seed=0):
    """`statistic` of B minus that of A, and its 95% interval from resampling the same rows for both."""
    rng = np.random.default_rng(seed)
    n = len(gold)
    values = [statistic(gold[idx], pred_b[idx], n_labels) - statistic(gold[idx], pred_a[idx], n_labels)
              for idx in rng.integers(0, n, size=(rounds, n))]
    point = statistic(gold, pred_b, n_labels) - statistic(gold, pred_a, n_labels)
    return float(point), [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))]


def reliability_bins(gold, probs, bins=10):
    """Per equal-width confidence bin: its edges, row count, mean confidence and accuracy (None when empty)."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    table = []
    for b in range(bins):
        in_bin = which == b
        filled = bool(in_bin.any())
        table.append({"low": float(edges[b]), "high": float(edges[b + 1]), "count": int(in_bin.sum()),
                      "confidence": float(confidence[in_bin].mean()) if filled else None,
                      "accuracy": float(correct[in_bin].mean()) if filled else None})
    return table


def expected_calibration_error(gold, probs, bins=10):
    """Weighted mean gap between confidence and accuracy over equal-width confidence bins."""
    n = len(gold)
    return float(sum(b["count"] / n * abs(b["confidence"] - b["accuracy"]) for b in reliability_bins(gold, probs, bins) if b["count"]))


def log_loss(gold, probs, eps=1e-12):
    """Mean negative log probability of the gold label."""
    return float(-np.mean(np.log(np.clip(probs[np.arange(len(gold)), gold], eps, 1.0))))


def task_report(gold, probs, labels):
    """Every metric for one task: gold is an int array, probs an (n, len(labels)) array."""
    gold = np.asarray(gold, dtype=np.int64)
    pred = probs.argmax(axis=1)
    matrix = confusion_matrix(gold, pred, len(labels))
    precision, recall, f1, support = per_label_scores(matrix)
    return {
        "n": int(len(gold)),
        "accuracy": float((pred == gold).mean()),
        "macro_f1": macro_f1(gold, pred, len(labels)),
        "macro_f1_ci95": bootstrap_ci(gold, pred, len(labels)),
        "per_label": {
            label: {"precision": float(precision[i]), "recall": float(recall[i]), "f1": float(f1[i]), "support": int(support[i])}
            for i, label in enumerate(labels)
        },
        "labels": list(labels),
        "confusion": matrix.tolist(),
        "log_loss": log_loss(gold, probs),
        "ece": expected_calibration_error(gold, probs),
        "reliability": reliability_bins(gold, probs),
    }


def summary_scores(gold, probs, n_labels):
    """The headline numbers only, for small slices of the data: n, accuracy and macro-F1."""
    gold = np.asarray(gold, dtype=np.int64)
    pred = probs.argmax(axis=1)
    return {"n": int(len(gold)), "accuracy": float((pred == gold).mean()), "macro_f1": macro_f1(gold, pred, n_labels)}
