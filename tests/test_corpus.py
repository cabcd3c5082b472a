"""The shipped corpus passes validation, and the corpus tools catch what they should."""

import json
from pathlib import Path

from geostance import load_examples
from training.corpus import near_duplicates, source_domain, split_by_source, validate_corpus

DATASETS = Path(__file__).resolve().parent.parent / "datasets"
SPLIT_FILES = [DATASETS / f"{name}.jsonl" for name in ("train", "dev", "test")]


def test_shipped_corpus_validates_without_problems():
    report, problems = validate_corpus(SPLIT_FILES)
    assert problems == []
    totals = report["labels"]["all"]["totals"]
    assert set(totals["stance"]) == {"balancing", "pro-Russia", "pro-West"}
    assert set(totals["sentiment"]) == {"negative", "neutral", "positive"}


def test_test_split_shares_no_source_domain_with_train():
    train, test = load_examples(SPLIT_FILES[0]), load_examples(SPLIT_FILES[2])
    train_domains = {source_domain(ex.meta.get("source_url")) for ex in train} - {None}
    assert not {source_domain(ex.meta.get("source_url")) for ex in test} & train_domains


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_validation_reports_leaks_duplicates_and_near_duplicates(tmp_path):
    text = "Budapest signed a new gas contract with Gazprom, saying the supply keeps Hungarian homes warm and prices low."
    train = write(tmp_path / "train.jsonl", [
        {"id": "a", "text": text, "stance": "pro-Russia", "source_url": "https://example.org/1"},
        {"id": "b", "text": text.replace("low", "very low"), "stance": "pro-Russia"},
    ])
    test = write(tmp_path / "test.jsonl", [
        {"id": "a", "text": "Riga expelled two diplomats.", "stance": "pro-West", "source_url": "https://www.example.org/2"},
        {"id": "c", "text": text, "stance": "pro-Russia"},
    ])
    _, problems = validate_corpus([train, test])
    joined = "\n".join(problems)
    assert "id 'a' appears in 2 rows" in joined
    assert "exact duplicate text" in joined
    assert "near duplicates" in joined
    assert "source example.org, which also feeds another split" in joined


def test_near_duplicates_ignore_unrelated_texts(tmp_path):
    rows = write(tmp_path / "x.jsonl", [
        {"id": "1", "text": "Tbilisi police dispersed protesters outside parliament."},
        {"id": "2", "text": "Astana hosted the summit of Turkic states on transport."},
    ])
    assert near_duplicates(load_examples(rows)) == []


def test_split_by_source_keeps_domains_together(tmp_path):
    rows = [{"id": f"r{i}", "text": f"Paragraph number {i} on policy.", "stance": ["pro-West", "pro-Russia", "balancing"][i % 3],
             "source_url": f"https://site{i % 7}.example/{i}"} for i in range(60)]
    splits = split_by_source(load_examples(write(tmp_path / "all.jsonl", rows)), 0.2, 0.2, seed=1)
    assert sum(len(v) for v in splits.values()) == 60
    domains = {name: {source_domain(ex.meta["source_url"]) for ex in rows} for name, rows in splits.items()}
    assert not domains["test"] & domains["train"] and not domains["dev"] & domains["train"]
    assert splits["test"]


def test_corpus_size_balance_and_breadth():
    report, _ = validate_corpus(SPLIT_FILES)
    totals = report["labels"]["all"]["totals"]
    assert report["rows"] >= 1800
    assert min(totals["stance"].values()) >= 550
    assert min(totals["sentiment"].values()) >= 350
    assert report["with_source_url"] >= report["rows"] / 2
    assert report["hard_cases"] >= 0.2 * report["rows"]
    assert report["countries"] >= 30 and len(report["source_types"]) >= 6
    assert report["words"]["min"] >= 40 and report["words"]["max"] <= 220
    assert report["near_duplicate_pairs"] == 0
