"""Command line: thin wrappers that parse arguments and call the plain functions."""

import argparse
import json
import sys
from pathlib import Path

from geostance import DataError, ModelFilesError, MultiTaskClassifier, SchemaError, load_examples
from geostance.model import require_model_files
from geostance.backends import BACKENDS, BackendError

from .baselines import run_baselines
from .calibration import calibrate
from .card import write_card
from .corpus import split_by_source, validate_corpus, write_jsonl
from .crossval import cross_validate
from .evaluate import compare, full_report
from .report import markdown, write_report
from .export import export_model
from .train import TrainConfig, train


class UsageError(ValueError):
    """Arguments that cannot work together, or a file they need that is missing."""


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

    p = commands.add_parser("evaluate", help="evaluate a model on a labeled file, with baselines, calibration and breakdowns")
    p.add_argument("--model", action="append", help="model directory; give it twice (A then B) to compare B against A")
    p.add_argument("--data", required=True, type=split_files, help="labeled file(s), comma-separated")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--report", help="directory for report.md, metrics.json and PNG plots")
    p.add_argument("--train-data", type=split_files, help="training file(s) for the baselines (default: those in the model's training.json)")
    p.add_argument("--no-baselines", action="store_true", help="skip the majority, TF-IDF and zero-shot baselines")
    p.add_argument("--errors", type=int, default=10, help="most confident mistakes listed per task")
    p.add_argument("--cv", type=int, default=0, metavar="K", help="K-fold cross-validation on --data instead (no --model; folds grouped by source domain)")
    p.add_argument("--epochs", type=int, default=defaults.epochs, help="with --cv: epochs per fold")
    p.add_argument("--max-steps", type=int, default=0, help="with --cv: stop each fold's training after this many steps")
    p.add_argument("--seed", type=int, default=defaults.seed, help="with --cv: training seed")
    p.add_argument("--base-model", help="with --cv: encoder directory to fine-tune")
    p.add_argument("--backend", choices=BACKENDS, help="inference backend (default: GEOSTANCE_BACKEND, else auto)")

    p = commands.add_parser("calibrate", help="fit per-task temperatures on labeled dev data and save them into a model directory")
    p.add_argument("--model", required=True, help="model directory (classifier.json is rewritten)")
    p.add_argument("--dev", required=True, type=split_files, help="held-out labeled file(s), not the test split")

    p = commands.add_parser("card", help="write model_card.md from a model directory and an evaluation report")
    p.add_argument("--model", required=True, help="model directory")
    p.add_argument("--report-dir", help="an evaluate --report directory (its metrics.json gives metrics and baselines)")
    p.add_argument("--out", help="card file to write (default: MODEL/model_card.md)")

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
    models = args.model or []
    if args.cv:
        if models:
            raise UsageError("--cv trains its own models; drop --model")
        config = TrainConfig(epochs=args.epochs, seed=args.seed, max_steps=args.max_steps)
        cv = cross_validate(args.data, args.cv, base_model=args.base_model, config=config, progress=not args.json)
        report = {"n": cv["n"], "data": args.data, "tasks": {}, "cv": cv}
    elif not 1 <= len(models) <= 2:
        raise UsageError("give --model once, or twice to compare two models")
    else:
        report = evaluate_models(args, models)
    if args.report:
        write_report(report, args.report)
        print(f"wrote {args.report}/report.md", file=sys.stderr)
    print(json.dumps(report) if args.json else markdown(report))


def evaluate_models(args, models):
    """The full report of the first model, with baselines, and the comparison with the second if given."""
    classifiers = [MultiTaskClassifier.from_pretrained(m, backend=args.backend) for m in models]
    for task in set(classifiers[0].task_names) & set(classifiers[-1].task_names):
        if classifiers[0].schema.labels(task) != classifiers[-1].schema.labels(task):
            raise UsageError(f"the two models label task '{task}' differently: {list(classifiers[0].schema.labels(task))} "
                             f"vs {list(classifiers[-1].schema.labels(task))}")
    examples = load_examples(args.data, classifiers[0].schema)
    progress = not args.json
    baseline_probs = None if args.no_baselines else baselines_for(models[0], classifiers[0], examples, args.train_data)
    report, probs = full_report(classifiers[0], examples, baseline_probs=baseline_probs, errors=args.errors, progress=progress)
    report = {"model": models[0], "data": args.data, **report}
    if len(models) == 2:
        other, other_probs = full_report(classifiers[1], examples, errors=args.errors, progress=progress)
        report["comparison"] = {"model_a": models[0], "model_b": models[1], "tasks": compare(examples, classifiers[0].schema, probs, other_probs),
                                "report_b": {key: other[key] for key in ("n", "tasks")}}
    return report


def baselines_for(model_dir, classifier, examples, train_data=None):
    """Baseline probabilities, trained on `train_data` or the training files recorded with the model."""
    record = json.loads((Path(model_dir) / "training.json").read_text()) if (Path(model_dir) / "training.json").is_file() else {}
    train_data = train_data or record.get("train_data") or record.get("data")
    if not train_data:
        raise UsageError(f"{model_dir}/training.json names no training data; pass --train-data FILE or --no-baselines")
    missing = [p for p in train_data if not Path(p).is_file()]
    if missing:
        raise UsageError(f"training data for the baselines not found: {', '.join(missing)}; pass --train-data FILE or --no-baselines")
    base = record.get("base_model")
    encoder_dir = base if base and Path(base).is_dir() else None
    return run_baselines(load_examples(train_data, classifier.schema), examples, classifier.schema, encoder_dir)


def run_calibrate(args):
    classifier = MultiTaskClassifier.from_pretrained(args.model)
    temperatures = calibrate(classifier, load_examples(args.dev, classifier.schema))
    settings_path = Path(args.model) / "classifier.json"
    settings = json.loads(settings_path.read_text())
    settings_path.write_text(json.dumps({**settings, "temperatures": temperatures}, indent=2) + "\n")
    print("temperatures: " + ", ".join(f"{task} {t}" for task, t in temperatures.items()))


def run_card(args):
    require_model_files(args.model)
    print(f"wrote {write_card(args.model, args.report_dir, args.out)}")


def run_export(args):
    classifier = MultiTaskClassifier.from_pretrained(args.model, backend="torch")
    dev = args.dev or recorded_dev_files(args.model)
    record = export_model(classifier, args.model, load_examples(dev, classifier.schema))
    for key in ("fp32", "int8"):
        print(f"{key}: dev macro-F1 " + ", ".join(f"{task} {f1:.4f}" for task, f1 in record[key].items()))
    verdict = "used by default" if record["int8_within_0.5_points"] else "refused (loses more than 0.5 points); torch is the default"
    print(f"int8: {verdict}")


def recorded_dev_files(model_dir):
    """The --dev files named in training.json; a model trained on a held-out share has none."""
    training = Path(model_dir) / "training.json"
    dev = json.loads(training.read_text()).get("dev_data") if training.is_file() else None
    if not dev:
        raise ModelFilesError(f"{training} records no dev file; pass --dev FILE for the int8 parity check")
    return dev


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        commands = {"train": run_train, "evaluate": run_evaluate, "card": run_card, "calibrate": run_calibrate,
                    "export": run_export, "validate-data": run_validate_data, "split-data": run_split_data}
        return commands[args.command](args) or 0
    except (BackendError, DataError, ModelFilesError, SchemaError, UsageError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
