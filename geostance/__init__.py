"""geostance: stance and sentiment classification of geopolitical paragraphs."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .data import DataError, Example, load_examples  # noqa: E402
from .labels import CANONICAL_LABELS, LabelSchema, SchemaError  # noqa: E402
from .model import ModelFilesError, MultiTaskClassifier, default_base_model  # noqa: E402

__all__ = [
    "CANONICAL_LABELS", "DataError", "Example", "LabelSchema", "ModelFilesError",
    "MultiTaskClassifier", "SchemaError", "default_base_model", "load_examples",
]
__version__ = "0.1.0"
