import math

import numpy as np
import pytest

from geostance.explain import explain, sentence_spans, without, word_spans

PARAGRAPH = ("Allied leaders condemned the missile strike on Kharkiv as a war crime. "
             "Gen. Milley said U.S. air defence systems would arrive within weeks. "
             "The Kremlin called the statement \"hysteria\" and blamed NATO for the escalation.")


@pytest.mark.parametrize("text, expected", [
    (PARAGRAPH, 3),
    ("One sentence without a final stop", 1),
    ("Prices rose 3.5 percent. Analysts were surprised!  Why? Nobody knows.", 4),
    ("\"We will not yield,\" the minister said. Talks resume today.", 2),
])
def test_sentences_cover_the_text_in_order(text, expected):
    spans = sentence_spans(text)
    assert len(spans) == expected
    assert " ".join(text[s:e] for s, e in spans).split() == text.split()
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_word_runs_cover_every_word_and_stay_bounded():
    long_text = " ".join(f"word{i}" for i in range(1000))
    runs = word_spans(long_text)
    assert len(runs) <= 64
    covered = set()
    for s, e in runs:
        covered.update(long_text[s:e].split())
    assert covered == set(long_text.split())
    assert word_spans("   ") == []


def test_removing_a_piece_closes_the_gap():
    assert without("a b c", 2, 3) == "a c"
    assert without("a b c", 0, 5) == ""


def test_occlusion_on_the_real_model(classifier):
    result = explain(classifier, PARAGRAPH, "stance")
    full = classifier.predict_proba([PARAGRAPH])["stance"][0]
    labels = classifier.schema.labels("stance")
    assert result["label"] == labels[int(np.argmax(full))]
    assert result["probability"] == pytest.approx(float(full.max()), abs=1e-5)
    assert len(result["sentences"]) == 3
    assert result["evaluations"] == 1 + len(result["sentences"]) + len(word_spans(PARAGRAPH))
    for piece in result["sentences"] + result["spans"]:
        assert PARAGRAPH[piece["start"]:piece["end"]] == piece["text"]
        assert math.isfinite(piece["contribution"]) and -1 <= piece["contribution"] <= 1
    first = result["sentences"][0]
    remaining = classifier.predict_proba([without(PARAGRAPH, first["start"], first["end"])])["stance"][0]
    assert first["contribution"] == pytest.approx(float(full.max() - remaining[int(np.argmax(full))]), abs=1e-4)


def test_top_spans_do_not_overlap_and_are_the_strongest(classifier):
    result = explain(classifier, PARAGRAPH, "sentiment", top_spans=3)
    spans = result["spans"]
    assert 1 <= len(spans) <= 3
    assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:]))
    assert result["label"] in classifier.schema.labels("sentiment")
