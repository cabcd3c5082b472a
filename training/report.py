"""The evaluation report: report.md, metrics.json and PNG plots (confusion matrices, reliability diagrams)."""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen before pyplot loads)
import numpy as np  # noqa: E402


def write_report(report, out_dir):
    """Write metrics.json, one confusion and one reliability PNG per task, and report.md into `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps(report, indent=2) + "\n")
    plots = {}
    for task, metrics in report.get("tasks", {}).items():
        plots[task] = [plot_confusion(task, metrics, out_dir / f"confusion_{task}.png"),
                       plot_reliability(task, metrics, out_dir / f"reliability_{task}.png")]
    (out_dir / "report.md").write_text(markdown(report, plots))
    return out_dir


def plot_confusion(task, metrics, path):
    """A confusion matrix heat map with counts, rows gold and columns predicted."""
    matrix = np.array(metrics["confusion"])
    labels = metrics["labels"]
    fig, ax = plt.subplots(figsize=(1.2 * len(labels) + 2, 1.1 * len(labels) + 1.5))
    ax.imshow(matrix, cmap="Blues")
    for (row, col), count in np.ndenumerate(matrix):
        ax.text(col, row, str(count), ha="center", va="center", color="white" if count > matrix.max() / 2 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"{task}: confusion matrix (n={metrics['n']})")
    return save(fig, path)


def plot_reliability(task, metrics, path):
    """Accuracy against mean confidence per bin, before and after temperature scaling."""
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    curves = [("reliability_uncalibrated", "T = 1", "ece_uncalibrated"), ("reliability", f"T = {metrics.get('temperature', 1.0):.2f}", "ece")]
    for key, name, ece_key in curves:
        if key in metrics:
            filled = [b for b in metrics[key] if b["count"]]
            ax.plot([b["confidence"] for b in filled], [b["accuracy"] for b in filled], marker="o", label=f"{name} (ECE {metrics[ece_key]:.3f})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.set_title(f"{task}: reliability")
    ax.legend(loc="upper left", fontsize=8)
    return save(fig, path)


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path).name


def interval(scores):
    lo, hi = scores["macro_f1_ci95"]
    return f"{scores['macro_f1']:.3f} [{lo:.3f}, {hi:.3f}]"


def markdown(report, plots=None):
    """The report as Markdown (also the text `evaluate` prints); `plots` maps task to image file names."""
    lines = ["# Evaluation report", ""]
    if report.get("model"):
        lines.append(f"Model `{report['model']}` on {', '.join(f'`{d}`' for d in report.get('data', []))}: {report['n']} rows.")
    else:
        lines.append(f"{report['n']} rows.")
    if report["tasks"]:
        lines += summary_table(report) + [""]
    for task, m in report["tasks"].items():
        lines += task_section(task, m, (plots or {}).get(task, []))
    lines += breakdown_section(report.get("breakdowns", {}))
    lines += errors_section(report.get("errors", {}))
    lines += comparison_section(report.get("comparison"))
    lines += cv_section(report.get("cv"))
    return "\n".join(lines) + "\n"


def summary_table(report):
    """One row per system (model, then baselines), accuracy and macro-F1 [95% CI] per task."""
    tasks = list(report["tasks"])
    lines = ["", "| system | " + " | ".join(f"{t} accuracy | {t} macro-F1 [95% CI]" for t in tasks) + " |",
             "| --- |" + " --- | --- |" * len(tasks)]
    systems = [("model", report["tasks"])] + list(report.get("baselines", {}).items())
    for name, scores in systems:
        cells = [f"{scores[t]['accuracy']:.3f} | {interval(scores[t])}" if t in scores else "– | –" for t in tasks]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if report.get("model_vs_baselines"):
        lines += ["", "Model minus baseline, macro-F1 with a paired bootstrap 95% interval (same resampled rows for both; "
                  "an interval above 0 means the model is clearly better):", "",
                  "| baseline | " + " | ".join(tasks) + " |", "| --- |" + " --- |" * len(tasks)]
        for name, table in report["model_vs_baselines"].items():
            cells = [f"{table[t]['difference']:+.3f} [{table[t]['difference_ci95'][0]:+.3f}, {table[t]['difference_ci95'][1]:+.3f}]"
                     if t in table else "–" for t in tasks]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if report.get("baselines"):
        lines += ["", "Baselines are scored on the same rows: `majority` predicts the most frequent training label; "
                  "`tfidf-logreg` is a logistic regression on TF-IDF word 1-2-grams of the model's training data; "
                  "`zero-shot` picks the label whose written description is closest (cosine of mean-pooled base-encoder embeddings), without training."]
    return lines


def task_section(task, m, images):
    lines = [f"## {task}", "", f"n = {m['n']}; accuracy {m['accuracy']:.3f}; macro-F1 {interval(m)}.", "",
             "| label | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |" for label, s in m["per_label"].items()]
    lines += ["", "Confusion matrix (rows gold, columns predicted):", "", "| gold \\ predicted | " + " | ".join(m["labels"]) + " |",
              "| --- |" + " --- |" * len(m["labels"])]
    lines += [f"| {label} | " + " | ".join(str(c) for c in row) + " |" for label, row in zip(m["labels"], m["confusion"])]
    lines += ["", f"Calibration: temperature {m.get('temperature', 1.0):.3f}; "
              + (f"ECE {m['ece_uncalibrated']:.3f} before, {m['ece']:.3f} after; log-loss {m['log_loss_uncalibrated']:.3f} before, {m['log_loss']:.3f} after."
                 if "ece_uncalibrated" in m else f"ECE {m['ece']:.3f}; log-loss {m['log_loss']:.3f}."), ""]
    lines += [f"![{image}]({image})" for image in images]
    return lines + [""]


def breakdown_section(tables):
    lines = []
    for column, values in tables.items():
        tasks = sorted({t for scores in values.values() for t in scores})
        lines += [f"## By {column}", "", f"| {column} | " + " | ".join(f"{t} n | {t} accuracy | {t} macro-F1" for t in tasks) + " |",
                  "| --- |" + " --- | --- | --- |" * len(tasks)]
        for value, scores in values.items():
            cells = [f"{scores[t]['n']} | {scores[t]['accuracy']:.3f} | {scores[t]['macro_f1']:.3f}" if t in scores else "0 | – | –" for t in tasks]
            lines.append(f"| {value} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def errors_section(errors):
    lines = []
    for task, mistakes in errors.items():
        if not mistakes:
            continue
        lines += [f"## Most confident {task} mistakes", "", "| id | gold | predicted | confidence | text |", "| --- | --- | --- | --- | --- |"]
        for m in mistakes:
            text = " ".join(m["text"].split()).replace("|", "\\|")
            lines.append(f"| {m['id']} | {m['gold']} | {m['predicted']} | {m['confidence']:.3f} | {text[:300]}{'…' if len(text) > 300 else ''} |")
        lines.append("")
    return lines


def comparison_section(comparison):
    if not comparison:
        return []
    lines = [f"## Comparison: B `{comparison['model_b']}` minus A `{comparison['model_a']}`", "",
             "| task | n | macro-F1 A | macro-F1 B | B − A [95% paired bootstrap CI] |", "| --- | --- | --- | --- | --- |"]
    for task, c in comparison["tasks"].items():
        lo, hi = c["difference_ci95"]
        lines.append(f"| {task} | {c['n']} | {c['macro_f1_a']:.3f} | {c['macro_f1_b']:.3f} | {c['difference']:+.3f} [{lo:+.3f}, {hi:+.3f}] |")
    return lines + ["", "An interval that excludes 0 means the difference is unlikely to be resampling noise.", ""]


def cv_section(cv):
    if not cv:
        return []
    lines = [f"## {cv['k']}-fold cross-validation ({cv['grouping']})", "", "| task | metric | mean | std |", "| --- | --- | --- | --- |"]
    for task, metrics in cv["tasks"].items():
        lines += [f"| {task} | {name} | {s['mean']:.3f} | {s['std']:.3f} |" for name, s in metrics.items()]
    return lines + [""]
