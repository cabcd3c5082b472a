from pathlib import Path

import pytest

from geostance import MultiTaskClassifier
from service.app import create_app
from training.train import TrainConfig, train

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.jsonl"
OVERFIT = TrainConfig(epochs=10, batch_size=4, learning_rate=1e-4, head_learning_rate=5e-3, seed=7)


@pytest.fixture(scope="session")
def tiny_path():
    return TINY


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    """A small real model: the bundled encoder fine-tuned on the tiny file until it fits it."""
    out = tmp_path_factory.mktemp("models") / "tiny"
    train([TINY], out, dev=[TINY], config=OVERFIT, progress=False)
    return out


@pytest.fixture(scope="session")
def classifier(model_dir):
    return MultiTaskClassifier.from_pretrained(model_dir, backend="torch")


@pytest.fixture()
def app(model_dir, classifier):
    return create_app({"MODEL_DIR": str(model_dir), "TESTING": True}, classifier=classifier)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def make_client(model_dir, classifier):
    """A test client for an app built with extra settings (limits, API keys)."""
    def build(config=None):
        settings = {"MODEL_DIR": str(model_dir), "TESTING": True, **(config or {})}
        return create_app(settings, classifier=classifier).test_client()
    return build
