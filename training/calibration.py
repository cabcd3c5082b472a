"""Temperature scaling: one temperature per task, fitted on held-out logits by minimising log-loss."""

import numpy as np
from scipy.optimize import minimize_scalar

from geostance.model import softmax

from .evaluate import gold_indices
from .metrics import log_loss

# Bounds keep a degenerate dev set (all right or all wrong) from driving T to 0 or infinity.
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.05, 20.0


def fit_temperature(logits, gold):
    """The temperature T minimising the log-loss of softmax(logits / T) against gold indices."""
    gold = np.asarray(gold, dtype=np.int64)
    if not len(gold):
        return 1.0
    result = minimize_scalar(lambda log_t: log_loss(gold, softmax(logits / np.exp(log_t))),
                             bounds=(np.log(MIN_TEMPERATURE), np.log(MAX_TEMPERATURE)), method="bounded")
    return float(np.exp(result.x))


def fit_temperatures(logits, examples, schema):
    """Per-task temperatures from precomputed per-task logits of labeled `examples`."""
    temperatures = {}
    for task, task_logits in logits.items():
        rows, gold = gold_indices(examples, schema, task)
        if len(rows):
            temperatures[task] = round(fit_temperature(task_logits[rows], gold), 4)
    return temperatures


def calibrate(classifier, examples, batch_size=32):
    """Fit and store the classifier's per-task temperatures on labeled held-out `examples`; return them."""
    logits, _ = classifier.logits([ex.text for ex in examples], batch_size)
    classifier.settings["temperatures"] = fit_temperatures(logits, examples, classifier.schema)
    return classifier.settings["temperatures"]
