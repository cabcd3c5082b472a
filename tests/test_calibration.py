import json

import numpy as np
import pytest

from geostance.model import softmax
from training.calibration import fit_temperature
from training.metrics import expected_calibration_error, log_loss


def overconfident_fixture(n=3000, sharpen=4.0, seed=0):
    """Gold labels drawn from softmax(z), logits reported as sharpen * z: right on average, far too sure."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 1.0, size=(n, 3))
    truth = softmax(z)
    gold = np.array([rng.choice(3, p=p) for p in truth])
    return sharpen * z, gold


def test_temperature_scaling_recovers_the_sharpening_and_lowers_ece():
    logits, gold = overconfident_fixture()
    temperature = fit_temperature(logits, gold)
    assert temperature == pytest.approx(4.0, rel=0.15)
    before, after = softmax(logits), softmax(logits / temperature)
    assert expected_calibration_error(gold, after) < expected_calibration_error(gold, before) / 3
    assert log_loss(gold, after) < log_loss(gold, before)
    assert (after.argmax(axis=1) == before.argmax(axis=1)).all()


def test_training_stores_temperatures_that_the_classifier_applies(model_dir, classifier):
    temperatures = json.loads((model_dir / "classifier.json").read_text())["temperatures"]
    assert set(temperatures) == {"stance", "sentiment"}
    texts = ["Minsk hosted the talks."]
    logits, _ = classifier.logits(texts)
    expected = softmax(logits["stance"] / temperatures["stance"])
    assert np.allclose(classifier.predict_proba(texts)["stance"], expected)
