"""Exporting a trained model to ONNX (fp32 and dynamic int8) and checking int8 against fp32 on dev."""

import json
import logging
import warnings
from pathlib import Path

import torch

from geostance import MultiTaskClassifier
from geostance.backends import ONNX_FILES, PARITY_KEY, OnnxBackend

from .evaluate import evaluate

MAX_LOSS = 0.005  # 0.5 macro-F1 points


def export_onnx(classifier, out):
    """Write `model.onnx` (fp32, dynamic batch and sequence axes, one logits output per task) and `model.int8.onnx`."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = Path(out)
    fp32, int8 = out / ONNX_FILES["onnx"], out / ONNX_FILES["onnx-int8"]
    tasks = classifier.task_names
    sample = torch.ones((2, 8), dtype=torch.int64)
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}}
    classifier.network.eval()
    with warnings.catch_warnings():
        # The TorchScript exporter warns about tracing details that do not apply to this graph.
        warnings.simplefilter("ignore")
        torch.onnx.export(classifier.network, (sample, sample), str(fp32), input_names=list(axes), output_names=tasks,
                          dynamic_axes={**axes, **{task: {0: "batch"} for task in tasks}}, opset_version=17, dynamo=False)
    # quantize_dynamic logs a generic advice to pre-process the model on the root logger.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)
    return fp32, int8


def parity_check(classifier, model_dir, dev_examples):
    """Dev macro-F1 per task for fp32 and int8 ONNX, and whether int8 loses at most 0.5 points on every task."""
    record = {"data": "dev", "n": len(dev_examples)}
    for key, name in (("fp32", "onnx"), ("int8", "onnx-int8")):
        backend = OnnxBackend(name, Path(model_dir) / ONNX_FILES[name], classifier.task_names)
        variant = MultiTaskClassifier(classifier.network, classifier.tokenizer, classifier.schema, classifier.settings, backend)
        record[key] = {task: m["macro_f1"] for task, m in evaluate(variant, dev_examples)["tasks"].items()}
    record[PARITY_KEY] = all(record["fp32"][t] - record["int8"][t] <= MAX_LOSS for t in record["fp32"])
    return record


def export_model(classifier, model_dir, dev_examples):
    """Export `classifier` into its saved directory, run the parity check, record it in metrics.json."""
    export_onnx(classifier, model_dir)
    record = parity_check(classifier, model_dir, dev_examples)
    metrics_path = Path(model_dir) / "metrics.json"
    metrics = json.loads(metrics_path.read_text()) if metrics_path.is_file() else {}
    metrics["backends"] = record
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    return record
