"""Command line: thin wrappers that parse arguments and call the plain functions."""

import argparse
import json
import sys
from pathlib import Path

from geostance import DataError, ModelFilesError, MultiTaskClassifier, SchemaError, load_examples
from geostance.backends import BACKENDS, BackendError

from .corpus import split_by_source, validate_corpus, write_jsonl
from .evaluate import evaluate
from .export import export_model
from .train import TrainConfig, train


def split_files(value):
    return [part for part in value.split(",") if part]


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m training", description="Train and evaluate geostance models.")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("train", help="fine-tune a model on labeled JSONL/CSV files")
    p.add_argument("--data", required=True, type=split_files, help="training file(s), comma-separated")
    p.add_argument("--out", required=True, help="model directory to write")
    p.add_argument("--dev", type=split_files, help="dev file(s) for model selection (default: a stratified share of --data)")
    p.add_argument("--test", type=split_files, help="test file(s) evaluated after training and recorded in metrics.json")
    p.add_argument("--base-model", help="local Hugging Face encoder directory (default: bundled all-MiniLM-L6-v2)")
    p.add_argument("--tasks", type=split_files, help="train only these tasks (default: every labeled column)")
    defaults = TrainConfig()
    p.add_argument("--epochs", type=int, default=defaults.epochs, help="passes over the training data")
    p.add_argument("--seed", type=int, default=defaults.seed, help="random seed; same data and seed give the same model")
    p.add_argument("--batch-size", type=int, default=defaults.batch_size, help="windows per optimisation step")
    p.add_argument("--learning-rate", type=float, default=defaults.learning_rate, help="encoder learning rate")
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: run all epochs)")

    p = commands.add_parser("evaluate", help="evaluate a model on a labeled file")
    p.add_argument("--model", required=True, help="model directory")
    p.add_argument("--data", required=True, type=split_files, help="labeled file(s), comma-separated")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--backend", choices=BACKENDS, help="inference backend (default: GEOSTANCE_BACKEND, else auto)")

    p = commands.add_parser("export", help="write model.onnx and model.int8.onnx and check int8 against fp32 on dev")
    p.add_argument("--model", required=True, help="model directory")
    p.add_argument("--dev", type=split_files, help="labeled dev file(s) for the parity check (default: the dev files recorded in training.json)")

    p = commands.add_parser("validate-data", help="check labeled files as one corpus: schema, duplicates, leaks, distributions")
    p.add_argument("files", nargs="+", help="data files (a file named test.* is checked for source leaks)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = commands.add_parser("split-data", help="split labeled files into train/dev/test, test and dev held out by source domain")
    p.add_argument("--input", required=True, type=split_files, help="labeled file(s), comma-separated")
    p.add_argument("--out", required=True, help="directory for train.jsonl, dev.jsonl, test.jsonl")
    p.add_argument("--test-fraction", type=float, default=0.15, help="share of rows for test")
    p.add_argument("--dev-fraction", type=float, default=0.12, help="share of rows for dev")
    p.add_argument("--seed", type=int, default=0, help="random seed for the assignment of sources")
    return parser


def run_validate_data(args):
    report, problems = validate_corpus(args.files)
    print(json.dumps(report, indent=2) if args.json else format_corpus_report(report))
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def run_split_data(args):
    splits = split_by_source(load_examples(args.input), args.test_fraction, args.dev_fraction, args.seed)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    for name, rows in splits.items():
        write_jsonl(Path(args.out) / f"{name}.jsonl", rows)
        print(f"{name}: {len(rows)} rows")


def format_corpus_report(report):
    lines = [f"{report['rows']} rows in {len(report['files'])} file(s); {report['with_source_url']} with a source URL; "
             f"{report['hard_cases']} hard cases; {report['countries']} countries; near-duplicate pairs: {report['near_duplicate_pairs']}",
             "words: " + ", ".join(f"{k} {v}" for k, v in report["words"].items()),
             "source types: " + ", ".join(f"{k} {v}" for k, v in report["source_types"].items())]
    for path, table in report["labels"].items():
        lines.append(f"\n{path}")
        lines += [f"  {cell:<28}{n:>6}" for cell, n in table["stance x sentiment"].items()]
        lines += [f"  {task}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) for task, counts in table["totals"].items()]
    return "\n".join(lines)


def run_train(args):
    config = TrainConfig(epochs=args.epochs, seed=args.seed, batch_size=args.batch_size,
                         learning_rate=args.learning_rate, max_steps=args.max_steps)
    classifier = train(args.data, args.out, dev=args.dev, test=args.test, base_model=args.base_model,
                       tasks=args.tasks, config=config)
    print(f"saved {args.out} (tasks: {', '.join(classifier.task_names)})")


def run_evaluate(args):
    classifier = MultiTaskClassifier.from_pretrained(args.model, backend=args.backend)
    report = evaluate(classifier, load_examples(args.data, classifier.schema))
    print(json.dumps(report, indent=None if args.json else 2) if args.json else format_report(report))


def run_export(args):
    classifier = MultiTaskClassifier.from_pretrained(args.model, backend="torch")
    dev = args.dev or recorded_dev_files(args.model)
    record = export_model(classifier, args.model, load_examples(dev, classifier.schema))
    for key in ("fp32", "int8"):
        print(f"{key}: dev macro-F1 " + ", ".join(f"{task} {f1:.4f}" for task, f1 in record[key].items()))
    verdict = "used by default" if record["int8_within_0.5_points"] else "refused (loses more than 0.5 points); fp32 ONNX is the default"
    print(f"int8: {verdict}")


def recorded_dev_files(model_dir):
    """The --dev files named in training.json; a model trained on a held-out share has none."""
    training = Path(model_dir) / "training.json"
    dev = json.loads(training.read_text()).get("dev") if training.is_file() else None
    if not dev:
        raise ModelFilesError(f"{training} records no dev file; pass --dev FILE for the int8 parity check")
    return dev


def format_report(report):
    lines = [f"n = {report['n']}"]
    for task, m in report["tasks"].items():
        lo, hi = m["macro_f1_ci95"]
        lines.append(f"\n{task} (n={m['n']}): accuracy {m['accuracy']:.3f}  macro-F1 {m['macro_f1']:.3f} [{lo:.3f}, {hi:.3f}]  ECE {m['ece']:.3f}")
        lines.append(f"  {'label':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
        for label, s in m["per_label"].items():
            lines.append(f"  {label:<14}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}{s['support']:>10}")
    return "\n".join(lines)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        commands = {"train": run_train, "evaluate": run_evaluate, "export": run_export, "validate-data": run_validate_data, "split-data": run_split_data}
        return commands[args.command](args) or 0
    except (BackendError, DataError, ModelFilesError, SchemaError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
