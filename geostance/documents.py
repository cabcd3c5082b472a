"""Classifying a whole article paragraph by paragraph, with a document-level summary."""

from .paragraphs import split_paragraphs


def classify_document(classifier, text, batch_size=32, paragraphs=None):
    """Paragraphs with offsets and per-task results, plus the summary of the whole text.

    `paragraphs` is `split_paragraphs(text)` when the caller has already split it.
    """
    if paragraphs is None:
        paragraphs = split_paragraphs(text)
    results = classifier.classify([p.text for p in paragraphs], batch_size=batch_size)
    items = [{"index": i, "start": p.start, "end": p.end, "text": p.text, **result}
             for i, (p, result) in enumerate(zip(paragraphs, results))]
    return {"paragraphs": items, "summary": summarize(items, classifier.schema)}


def summarize(items, schema):
    """Per task: label shares weighted by paragraph length, the dominant label, and the path of labels.

    `share` averages each paragraph's probabilities weighted by its length in characters;
    `path` lists runs of consecutive paragraphs with the same label, so a reader sees
    where the text moves from one stance to another.
    """
    total = sum(item["end"] - item["start"] for item in items)
    summary = {"paragraphs": len(items), "characters": total}
    for task in schema.task_names:
        labels = schema.labels(task)
        share = {label: 0.0 for label in labels}
        for item in items:
            weight = (item["end"] - item["start"]) / total
            for label in labels:
                share[label] += weight * item[task]["scores"][label]
        path = runs([item[task]["label"] for item in items])
        summary[task] = {
            "share": {label: round(value, 4) for label, value in share.items()},
            "dominant": max(share, key=share.get) if items else None,
            "path": path,
            "shifts": max(len(path) - 1, 0),
        }
    return summary


def runs(labels):
    """Consecutive equal labels as [{"label", "from", "to"}] with inclusive paragraph indices."""
    path = []
    for i, label in enumerate(labels):
        if path and path[-1]["label"] == label:
            path[-1]["to"] = i
        else:
            path.append({"label": label, "from": i, "to": i})
    return path
