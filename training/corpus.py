"""Corpus tools: splitting held out by source, and the checks behind `validate-data`."""

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from geostance import DataError, load_examples

NEAR_DUPLICATE_COSINE = 0.8
SPLITS = ("train", "dev", "test")


def source_domain(url):
    """The host of a source URL without 'www.', or None."""
    if not url:
        return None
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host or None


def source_groups(examples):
    """Group example positions by source domain; rows without a source form groups of one."""
    groups = {}
    for i, ex in enumerate(examples):
        key = source_domain(ex.meta.get("source_url")) or f"row:{ex.id}"
        groups.setdefault(key, []).append(i)
    return groups


def split_by_source(examples, test_fraction=0.15, dev_fraction=0.12, seed=0):
    """Assign whole source domains to test, then dev, the rest to train.

    Groups are drawn in random order and taken while they do not push any stance
    past its share, so held-out splits keep roughly the corpus's stance balance.
    Returns {"train": [...], "dev": [...], "test": [...]}.
    """
    rng = np.random.default_rng(seed)
    groups = source_groups(examples)
    keys = sorted(groups)
    keys = [keys[i] for i in rng.permutation(len(keys))]
    stance_totals = Counter(ex.labels.get("stance") for ex in examples)
    assigned = {}
    for split, fraction in (("test", test_fraction), ("dev", dev_fraction)):
        quota = {stance: fraction * total for stance, total in stance_totals.items()}
        taken = Counter()
        for key in keys:
            if key in assigned:
                continue
            counts = Counter(examples[i].labels.get("stance") for i in groups[key])
            if all(taken[s] + c <= quota[s] * 1.05 + 1 for s, c in counts.items()):
                assigned[key] = split
                taken.update(counts)
    splits = {name: [] for name in SPLITS}
    for key in keys:
        splits[assigned.get(key, "train")].extend(examples[i] for i in groups[key])
    return {name: sorted(rows, key=lambda ex: ex.id) for name, rows in splits.items()}


def to_record(example):
    """The JSON row of an example: id, text, labels, then metadata."""
    return {"id": example.id, "text": example.text, **example.labels, **example.meta}


def write_jsonl(path, examples):
    with open(path, "w", encoding="utf-8") as handle:
        for ex in examples:
            handle.write(json.dumps(to_record(ex), ensure_ascii=False) + "\n")


def near_duplicates(examples, threshold=NEAR_DUPLICATE_COSINE):
    """Pairs of (id, id, cosine) whose TF-IDF cosine similarity exceeds `threshold`."""
    if len(examples) < 2:
        return []
    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform([ex.text for ex in examples])
    similarity = (matrix @ matrix.T).tocoo()
    return sorted(
        (examples[i].id, examples[j].id, round(float(s), 3))
        for i, j, s in zip(similarity.row, similarity.col, similarity.data)
        if i < j and s > threshold
    )


def validate_corpus(paths):
    """Check data files as one corpus; return (report, problems) where problems is a list of strings."""
    problems, by_file = [], {}
    for path in paths:
        try:
            by_file[str(path)] = load_examples(path)
        except DataError as err:
            problems.extend(str(p) for p in err.problems)
    examples = [ex for rows in by_file.values() for ex in rows]
    ids = Counter(ex.id for ex in examples)
    problems += [f"id '{i}' appears in {n} rows across files" for i, n in ids.items() if n > 1]
    texts = Counter(" ".join(ex.text.split()).lower() for ex in examples)
    problems += [f"exact duplicate text ({n} rows): {t[:60]}..." for t, n in texts.items() if n > 1]
    pairs = near_duplicates(examples)
    problems += [f"near duplicates (TF-IDF cosine {s}): {a} and {b}" for a, b, s in pairs]
    problems += source_leaks(by_file)
    report = {
        "files": {path: len(rows) for path, rows in by_file.items()},
        "rows": len(examples),
        "labels": label_table(by_file),
        "words": length_summary(examples),
        "near_duplicate_pairs": len(pairs),
        "hard_cases": sum(1 for ex in examples if ex.meta.get("hard_case") is True),
        "with_source_url": sum(1 for ex in examples if ex.meta.get("source_url")),
        "countries": len({ex.meta.get("country") for ex in examples if ex.meta.get("country")}),
        "source_types": dict(Counter(ex.meta.get("source_type") for ex in examples if ex.meta.get("source_type")).most_common()),
    }
    return report, problems


def source_leaks(by_file):
    """A source URL or domain in a test file that also feeds a non-test file."""
    test = {p: rows for p, rows in by_file.items() if Path(p).stem == "test"}
    other = [ex for p, rows in by_file.items() if p not in test for ex in rows]
    urls = {ex.meta.get("source_url") for ex in other if ex.meta.get("source_url")}
    domains = {source_domain(u) for u in urls}
    problems = []
    for path, rows in test.items():
        for ex in rows:
            url = ex.meta.get("source_url")
            if url and (url in urls or source_domain(url) in domains):
                problems.append(f"{path}: row '{ex.id}' has source {source_domain(url)}, which also feeds another split")
    return problems


def label_table(by_file):
    """Counts of stance x sentiment per file and overall, plus per-task totals."""
    table = {}
    for path, rows in list(by_file.items()) + [("all", [ex for rs in by_file.values() for ex in rs])]:
        cross = Counter(f"{ex.labels.get('stance', '-')} / {ex.labels.get('sentiment', '-')}" for ex in rows)
        totals = {}
        for ex in rows:
            for task, label in ex.labels.items():
                totals.setdefault(task, Counter())[label] += 1
        table[path] = {"stance x sentiment": dict(sorted(cross.items())), "totals": {t: dict(sorted(c.items())) for t, c in totals.items()}}
    return table


def length_summary(examples):
    words = np.array([len(ex.text.split()) for ex in examples]) if examples else np.zeros(1)
    return {"min": int(words.min()), "p10": int(np.percentile(words, 10)), "median": int(np.median(words)),
            "p90": int(np.percentile(words, 90)), "max": int(words.max()),
            "outside_40_220": int(((words < 40) | (words > 220)).sum())}
