"""Inference backends: the torch network, or its ONNX Runtime export in fp32 or dynamic int8.

Every backend is a callable taking one padded batch (int64 `input_ids`, `attention_mask`
arrays) and returning a list of float32 logit arrays, one per task in task order.
"""

import json
import os
from pathlib import Path

import torch

BACKENDS = ("auto", "torch", "onnx", "onnx-int8")
ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model.int8.onnx"}
PARITY_KEY = "int8_within_0.5_points"
DEFAULT_THREADS = 2
PASSED = "passed the parity check"


class BackendError(ValueError):
    """An unknown backend name or thread count."""


def default_threads():
    """Threads per inference call: GEOSTANCE_THREADS, else 2 (one per core of a small CPU box)."""
    value = os.environ.get("GEOSTANCE_THREADS", "")
    if not value:
        return DEFAULT_THREADS
    if not value.isdigit() or int(value) < 1:
        raise BackendError(f"GEOSTANCE_THREADS must be a positive integer, got {value!r}")
    return int(value)


def parity_record(model_dir):
    """The int8-vs-fp32 dev check stored in metrics.json under "backends", or None."""
    metrics = Path(model_dir) / "metrics.json"
    if not metrics.is_file():
        return None
    return json.loads(metrics.read_text()).get("backends")


def int8_status(model_dir):
    """Why int8 is or is not the automatic choice, in words for /v1/model."""
    if not (Path(model_dir) / ONNX_FILES["onnx-int8"]).is_file():
        return "not exported"
    record = parity_record(model_dir)
    if record is None:
        return "refused: no int8 parity check in metrics.json (run python -m training export)"
    if not record.get(PARITY_KEY):
        losses = ", ".join(f"{task} {100 * (record['fp32'][task] - record['int8'][task]):.2f}" for task in record["fp32"])
        return f"refused: dev macro-F1 lost more than 0.5 points against fp32 ({losses} points)"
    return PASSED


def choose_backend(model_dir, requested=None):
    """Resolve a backend name; "auto" takes int8 if it passed the parity gate, else torch.

    fp32 ONNX is not an automatic choice: with length-sorted batches, bench/throughput
    measured it slower than torch on 2 cores (58.7 against 77.7 paragraphs/s).
    `requested` defaults to the GEOSTANCE_BACKEND environment variable, then "auto".
    """
    requested = requested or os.environ.get("GEOSTANCE_BACKEND") or "auto"
    if requested not in BACKENDS:
        raise BackendError(f"unknown backend {requested!r} (expected one of {', '.join(BACKENDS)})")
    if requested != "auto":
        return requested
    return "onnx-int8" if int8_status(model_dir) == PASSED else "torch"


class TorchBackend:
    """The reference: the torch network itself."""

    name = "torch"

    def __init__(self, network, threads=None):
        self.network = network
        if threads:
            torch.set_num_threads(threads)

    def __call__(self, input_ids, attention_mask):
        with torch.inference_mode():
            outputs = self.network(torch.from_numpy(input_ids), torch.from_numpy(attention_mask))
        return [output.float().numpy() for output in outputs]


class OnnxBackend:
    """An ONNX Runtime session over an exported file, on the CPU."""

    def __init__(self, name, path, task_names, threads=None):
        import onnxruntime

        self.name = name
        self.task_names = list(task_names)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or default_threads()
        # One graph runs at a time; parallelism is inside each matrix product.
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids, attention_mask):
        return self.session.run(self.task_names, {"input_ids": input_ids, "attention_mask": attention_mask})


def load_backend(name, model_dir, network, task_names, threads=None):
    """Build backend `name` ("torch", "onnx", "onnx-int8") for a model directory whose files were checked."""
    if name == "torch":
        return TorchBackend(network, threads or default_threads())
    return OnnxBackend(name, Path(model_dir) / ONNX_FILES[name], task_names, threads)
