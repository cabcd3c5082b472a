import numpy as np
import pytest

from training.metrics import (bootstrap_ci, confusion_matrix, expected_calibration_error, log_loss, macro_f1,
                              paired_bootstrap_difference, per_label_scores, reliability_bins, task_report)

GOLD = np.array([0, 0, 1, 1, 2, 2])
PRED = np.array([0, 1, 1, 1, 0, 0])  # label 2 is never predicted


def test_confusion_and_per_label_scores_match_hand_computation():
    matrix = confusion_matrix(GOLD, PRED, 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 2, 0], [2, 0, 0]]
    precision, recall, f1, support = per_label_scores(matrix)
    assert precision == pytest.approx([1 / 3, 2 / 3, 0.0])
    assert recall == pytest.approx([0.5, 1.0, 0.0])
    assert f1 == pytest.approx([0.4, 0.8, 0.0])
    assert support.tolist() == [2, 2, 2]


def test_macro_f1_counts_a_gold_label_that_is_never_predicted_as_zero():
    assert macro_f1(GOLD, PRED, 3) == pytest.approx((0.4 + 0.8 + 0.0) / 3)
    # A label absent from both gold and predictions does not drag the mean down.
    assert macro_f1(np.array([0, 1]), np.array([0, 1]), 3) == 1.0


def test_task_report_on_one_hot_probabilities():
    probs = np.eye(3)[PRED]
    report = task_report(GOLD, probs, ("a", "b", "c"))
    assert report["accuracy"] == 0.5
    assert report["per_label"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2}
    assert report["ece"] == pytest.approx(0.5)  # every row has confidence 1, half are right


CALIBRATION_GOLD = np.array([0, 1, 1, 0])
CALIBRATION_PROBS = np.array([[0.95, 0.05], [0.95, 0.05], [0.35, 0.65], [0.65, 0.35]])


def test_ece_and_log_loss_match_hand_computation():
    # Bin (0.9, 1]: confidence 0.95, accuracy 0.5; bin (0.6, 0.7]: confidence 0.65, accuracy 1.
    assert expected_calibration_error(CALIBRATION_GOLD, CALIBRATION_PROBS) == pytest.approx(0.5 * 0.45 + 0.5 * 0.35)
    assert log_loss(CALIBRATION_GOLD, CALIBRATION_PROBS) == pytest.approx(-np.mean(np.log([0.95, 0.05, 0.65, 0.65])))
    bins = reliability_bins(CALIBRATION_GOLD, CALIBRATION_PROBS)
    assert [b["count"] for b in bins] == [0, 0, 0, 0, 0, 0, 2, 0, 0, 2]
    assert bins[9]["accuracy"] == 0.5 and bins[0]["confidence"] is None


def noisy_predictions(n, seed):
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, 3, n)
    pred = np.where(rng.random(n) < 0.7, gold, rng.integers(0, 3, n))
    return gold, pred


def test_bootstrap_interval_contains_the_estimate_and_shrinks_with_more_data():
    widths = []
    for n in (60, 2000):
        gold, pred = noisy_predictions(n, seed=n)
        lo, hi = bootstrap_ci(gold, pred, 3, rounds=300)
        assert lo <= macro_f1(gold, pred, 3) <= hi
        widths.append(hi - lo)
    assert widths[1] < widths[0] / 3


def test_paired_bootstrap_difference():
    gold, pred = noisy_predictions(300, seed=1)
    assert paired_bootstrap_difference(gold, pred, pred, 3, rounds=200) == (0.0, [0.0, 0.0])
    difference, (lo, hi) = paired_bootstrap_difference(gold, pred, gold, 3, rounds=200)
    assert difference == pytest.approx(1.0 - macro_f1(gold, pred, 3))
    assert 0 < lo <= difference <= hi
