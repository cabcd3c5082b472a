"""Throughput of both labels per paragraph: our backends against two Hugging Face pipelines, in one run.

    python -m bench.throughput --model models/default [--n 2000] [--threads 2]

Each contender runs in a fresh subprocess on the same paragraphs, so its peak RSS is
its own. The baseline is the usual way: one `pipeline("text-classification")` per task,
each an AutoModelForSequenceClassification on the same base encoder with a 3-label
head, fp32, batch size 32. Accuracy is compared on datasets/test.jsonl.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DATASETS = Path(__file__).resolve().parent.parent / "datasets"
CONTENDERS = ("baseline", "torch", "onnx", "onnx-int8")
BATCH_SIZE = 32
WARMUP = 32


def realistic_paragraphs(n, seed=0):
    """`n` texts of mixed length from the corpus: 60% single paragraphs, 20% two joined, 20% one sentence."""
    texts = [json.loads(line)["text"] for path in sorted(DATASETS.glob("*.jsonl"))
             for line in path.read_text().splitlines() if line.strip()]
    rng = np.random.default_rng(seed)
    out = []
    for kind in rng.choice(3, size=n, p=[0.6, 0.2, 0.2]):
        first, second = (texts[i] for i in rng.choice(len(texts), size=2, replace=False))
        if kind == 0:
            out.append(first)
        elif kind == 1:
            out.append(first + "\n\n" + second)
        else:
            out.append(first.split(". ")[0].rstrip(".") + ".")
    return out


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds():
    """User plus system CPU time of this process: unlike wall time, barely moved by other load on the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Timer:
    """Wall and CPU seconds spent inside a `with` block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, cpu_seconds() - self.cpu


def run_baseline(texts, threads):
    """Two text-classification pipelines, one per task, each scoring every text."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    from geostance import default_base_model

    torch.set_num_threads(threads)
    base = str(default_base_model())
    pipes = [pipeline("text-classification", model=AutoModelForSequenceClassification.from_pretrained(base, num_labels=3),
                      tokenizer=AutoTokenizer.from_pretrained(base), device=-1) for _ in ("stance", "sentiment")]
    for pipe in pipes:
        pipe(texts[:WARMUP], batch_size=BATCH_SIZE, truncation=True)
    with Timer() as timer:
        for pipe in pipes:
            pipe(texts, batch_size=BATCH_SIZE, truncation=True)
    return {"seconds": timer.wall, "cpu_seconds": timer.cpu, "peak_rss_mb": peak_rss_mb(), "test_macro_f1": None}


def run_backend(name, model_dir, texts, threads):
    """Our classifier on one backend: throughput, tokenization share, then test-split macro-F1."""
    from geostance import MultiTaskClassifier, load_examples
    from training.evaluate import evaluate

    classifier = MultiTaskClassifier.from_pretrained(model_dir, backend=name, threads=threads)
    classifier.predict_proba(texts[:WARMUP], batch_size=BATCH_SIZE)
    with Timer() as timer:
        classifier.predict_proba(texts, batch_size=BATCH_SIZE)
    rss = peak_rss_mb()
    with Timer() as tokenize:
        classifier.windows(texts)
    report = evaluate(classifier, load_examples([DATASETS / "test.jsonl"], classifier.schema))
    return {"seconds": timer.wall, "cpu_seconds": timer.cpu, "tokenize_seconds": tokenize.wall, "peak_rss_mb": rss,
            "test_macro_f1": {task: m["macro_f1"] for task, m in report["tasks"].items()}}


def worker(args):
    texts = json.loads(Path(args.texts).read_text())
    if args.worker == "baseline":
        result = run_baseline(texts, args.threads)
    else:
        result = run_backend(args.worker, args.model, texts, args.threads)
    print(json.dumps(result))


def measure(name, model_dir, texts_file, threads):
    """Run one contender in a fresh interpreter and return its result."""
    command = [sys.executable, "-m", "bench.throughput", "--worker", name, "--model", str(model_dir),
               "--texts", str(texts_file), "--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def format_table(results, n, serving):
    """One row per contender: wall-clock and per-CPU-second rates, both as ratios to the baseline."""
    base = results["baseline"]
    reference = results["torch"]["test_macro_f1"]
    lines = [f"{'contender':<12}{'para/s':>8}{'x base':>8}{'para/CPU-s':>12}{'x base':>8}{'peak RSS MB':>13}"
             f"{'tokenize %':>12}{'test macro-F1 stance, sentiment':>34}{'vs torch, points':>19}"]
    for name, r in results.items():
        share = f"{100 * r['tokenize_seconds'] / r['seconds']:.1f}" if "tokenize_seconds" in r else "-"
        f1 = r["test_macro_f1"]
        scores = ", ".join(f"{v:.4f}" for v in f1.values()) if f1 else "untrained heads"
        delta = ", ".join(f"{100 * (f1[t] - reference[t]):+.2f}" for t in f1) if f1 else "-"
        label = name + (" *" if name == serving else "")
        lines.append(f"{label:<12}{n / r['seconds']:>8.1f}{base['seconds'] / r['seconds']:>8.2f}"
                     f"{n / r['cpu_seconds']:>12.1f}{base['cpu_seconds'] / r['cpu_seconds']:>8.2f}{r['peak_rss_mb']:>13.0f}"
                     f"{share:>12}{scores:>34}{delta:>19}")
    lines.append(f"* default serving path (backend auto) for this model directory; {n} paragraphs, batch size {BATCH_SIZE}")
    return "\n".join(lines)


def main(argv=None):
    from geostance.backends import choose_backend, default_threads

    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/default", help="model directory with model.onnx and model.int8.onnx")
    parser.add_argument("--n", type=int, default=2000, help="number of paragraphs")
    parser.add_argument("--threads", type=int, default=default_threads(), help="threads per forward pass")
    parser.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    texts = realistic_paragraphs(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts))
        results = {}
        for name in CONTENDERS:
            print(f"measuring {name} (load average {os.getloadavg()[0]:.1f}) ...", file=sys.stderr, flush=True)
            results[name] = measure(name, args.model, texts_file, args.threads)
    print(format_table(results, len(texts), choose_backend(args.model, "auto")))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; a busy machine lowers para/s, "
          "para/CPU-s much less")


if __name__ == "__main__":
    sys.exit(main())
