"""Model cards in the sections Hugging Face model cards use, filled from a model's records and an evaluation report."""

import json
from pathlib import Path

from .report import interval, summary_table


def read_json(path):
    path = Path(path)
    return json.loads(path.read_text()) if path.is_file() else {}


def write_card(model_dir, report_dir=None, out=None):
    """Write model_card.md (default: into `model_dir`) from training.json, metrics.json, labels.json and classifier.json.

    With `report_dir` (an `evaluate --report` directory), metrics, baselines and
    calibration come from its metrics.json; otherwise from the model's own test (or dev) results.
    """
    model_dir = Path(model_dir)
    record, metrics = read_json(model_dir / "training.json"), read_json(model_dir / "metrics.json")
    labels, settings = read_json(model_dir / "labels.json"), read_json(model_dir / "classifier.json")
    if report_dir:
        report = read_json(Path(report_dir) / "metrics.json")
        if not report:
            raise FileNotFoundError(f"report directory {report_dir} lacks metrics.json (write it with evaluate --report)")
        evaluated_on = ", ".join(f"`{d}`" for d in report.get("data", [])) or "the report's data"
    else:
        split = "test" if "test" in metrics else "dev"
        report, evaluated_on = metrics.get(split, {"n": 0, "tasks": {}}), f"the {split} split given at training time"
    out = Path(out) if out else model_dir / "model_card.md"
    out.write_text(card_text(model_dir.name, record, labels, settings, report, evaluated_on))
    return out


def card_text(name, record, labels, settings, report, evaluated_on):
    hyper = record.get("hyperparameters", {})
    lines = [f"# Model card: geostance `{name}`", "", "## Model details", "",
             f"- Architecture: {record.get('base_model', 'a transformer encoder')} shared by one linear head per task, fine-tuned end to end.",
             "- Tasks and labels (probability columns in this order): " + "; ".join(f"{t}: {', '.join(ls)}" for t, ls in labels.items()) + ".",
             f"- Training: {hyper.get('epochs', '?')} epochs, batch {hyper.get('batch_size', '?')}, learning rate {hyper.get('learning_rate', '?')}, "
             f"seed {hyper.get('seed', '?')}, {hyper.get('max_length', '?')}-token windows with {hyper.get('overlap', '?')} tokens of overlap; "
             f"best epoch chosen on dev macro-F1; {record.get('train_seconds', '?')} s on CPU.",
             "- Library versions: " + ", ".join(f"{k} {v}" for k, v in record.get("versions", {}).items()) + ".",
             "- Files: safetensors weights, tokenizer, labels.json, classifier.json (window settings, temperatures), training.json, metrics.json.",
             "", "## Intended use", "",
             "Labelling English paragraphs of news, analysis and official statements about Russia, the West and the states between them "
             "by geopolitical stance and by sentiment, to sort, count and sample text for human analysis. Scores are calibrated "
             "probabilities; read them together with the text.",
             "", "## Out-of-scope use", "",
             "- Judging the truth of a text, or the loyalty or intent of a person, outlet or country.",
             "- Automated moderation, censorship or any decision about an individual without human review.",
             "- Languages other than English, topics outside Russia–West alignment, and paragraphs that take no side "
             "(the stance head always picks one of its labels).",
             "", "## Training data", "",
             ("Files: " if "train_data" in record else "Files (training and dev): ")
             + ", ".join(f"`{p}`" for p in record.get("train_data", record.get("data", []))) + f" ({record.get('n_train', '?')} training rows); "
             f"dev (model selection and calibration): {dev_description(record)} "
             f"({record.get('n_dev', '?')} rows). SHA-256 of the data: `{record.get('data_sha256', '?')}`. See `datasets/README.md` for the data card.",
             "", "## Evaluation data", "", f"{evaluated_on}: {report.get('n', 0)} rows.", ""]
    lines += metrics_section(report) + calibration_section(report, settings)
    lines += ["## Limitations and biases", "",
              "- The corpus is small; the intervals above are wide, and per-country or per-source-type scores rest on few rows.",
              "- Labels come from one annotation guide (LABELS.md) and its annotators' reading of stance; other readers may disagree, "
              "especially on `balancing` and on reports that repeat one side's framing without comment.",
              "- Sources, countries and years are unevenly covered; outlets and regions absent from training may be labelled worse.",
              "- Register and topic can leak into stance: a calm tone or a topic common in one class may sway the prediction.",
              "- Texts longer than one window are averaged over windows, which can blur a paragraph that changes stance midway.",
              "", "## How to retrain", "", "```",
              "python -m training train --data datasets/train.jsonl --dev datasets/dev.jsonl --test datasets/test.jsonl --out models/NAME",
              "python -m training evaluate --model models/NAME --data datasets/test.jsonl --report reports/NAME",
              "python -m training card --model models/NAME --report-dir reports/NAME",
              "```", "", "Same data and seed give the same model. Compare a retrained model with this one with "
              "`python -m training evaluate --model models/default --model models/NAME --data datasets/test.jsonl`.", ""]
    return "\n".join(lines)


def dev_description(record):
    """The dev files, or a note that dev was carved out of the training rows."""
    if record.get("dev_data"):
        return ", ".join(f"`{p}`" for p in record["dev_data"])
    return "a stratified share of the training rows" if "dev_data" in record else "the dev file listed above"


def metrics_section(report):
    lines = ["## Metrics", "", "Macro-F1 with a 95% bootstrap interval (1000 resamples of the rows)."]
    lines += summary_table(report) + [""]
    for task, m in report.get("tasks", {}).items():
        lines += [f"- {task}: " + ", ".join(f"{label} F1 {s['f1']:.3f} (support {s['support']})" for label, s in m["per_label"].items())]
    lines.append("")
    if not report.get("model_vs_baselines"):
        lines += ["Baselines: not in this card; generate it from an `evaluate --report` directory to include them.", ""]
        return lines
    verdicts = []
    for name, table in report["model_vs_baselines"].items():
        for task, c in table.items():
            lo, hi = c["difference_ci95"]
            verdict = "clearly better" if lo > 0 else "clearly worse" if hi < 0 else "not clearly different"
            verdicts.append(f"- {task} vs {name}: {verdict} (model minus baseline {c['difference']:+.3f}, 95% CI [{lo:+.3f}, {hi:+.3f}])")
    lines += ["Against the baselines (paired bootstrap on the same rows):", ""] + verdicts + [""]
    return lines


def calibration_section(report, settings):
    lines = ["## Calibration", "", "Temperature scaling, one temperature per task fitted on the dev split (minimum log-loss); "
             "the service divides logits by it before the softmax.", ""]
    for task, m in report.get("tasks", {}).items():
        temperature = settings.get("temperatures", {}).get(task, m.get("temperature", 1.0))
        if "ece_uncalibrated" in m:
            lines.append(f"- {task}: T = {temperature:.3f}; ECE {m['ece_uncalibrated']:.3f} → {m['ece']:.3f}; "
                         f"log-loss {m['log_loss_uncalibrated']:.3f} → {m['log_loss']:.3f}; macro-F1 {interval(m)}.")
        else:
            lines.append(f"- {task}: T = {temperature:.3f}; ECE {m['ece']:.3f}.")
    return lines + [""]
