"""Explaining one prediction by occlusion: remove a piece of the text, re-score, measure the drop.

For a paragraph and a task, the classifier scores the full text, then every variant
with one sentence removed and every variant with one short run of words removed, all
in a single batched `predict_proba` call. A piece's contribution is how much the
predicted label's probability falls when the piece is gone: positive pieces support
the label, negative ones pull away from it.
"""

import math
import re

import numpy as np

from .paragraphs import trim_span

# A sentence ends at . ! ? or … (with any closing quotes or brackets) followed by space
# and something that can open a sentence; "e.g. the" or "3.5 bn" do not split.
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9])")
# Abbreviations whose period is not the end of a sentence ("U.S. officials", "Gen. Milley").
ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Adm|Prof|No|vs))\.$")
WORD = re.compile(r"\S+")
SPAN_WORDS = 4
MAX_SPAN_VARIANTS = 64
TOP_SPANS = 5


def sentence_spans(text):
    """[start, end) offsets of the sentences of `text`, trimmed of surrounding whitespace."""
    spans, start = [], 0
    for gap in SENTENCE_BREAK.finditer(text):
        if ABBREVIATION.search(text, 0, gap.start()):
            continue
        spans.append((start, gap.start() + len(gap.group().rstrip())))
        start = gap.end()
    spans.append((start, len(text)))
    return [trim_span(text, s, e) for s, e in spans if text[s:e].strip()]


def word_spans(text, size=SPAN_WORDS, max_variants=MAX_SPAN_VARIANTS):
    """Overlapping runs of words as [start, end) offsets, half a run apart.

    Runs start at `size` words and grow for long texts so that at most about
    `max_variants` runs are scored, keeping the cost bounded while every word is covered.
    """
    words = [m.span() for m in WORD.finditer(text)]
    if not words:
        return []
    stride = max(size // 2, math.ceil(len(words) / (max_variants - 1)), 1)
    size = max(size, 2 * stride)
    if len(words) <= size:
        return [(words[0][0], words[-1][1])]
    starts = list(range(0, len(words) - size + 1, stride))
    if starts[-1] + size < len(words):
        starts.append(len(words) - size)
    return [(words[i][0], words[i + size - 1][1]) for i in starts]


def without(text, start, end):
    """`text` with [start, end) removed and the gap closed by a single space."""
    return " ".join(part for part in (text[:start].rstrip(), text[end:].lstrip()) if part)


def explain(classifier, text, task, batch_size=32, top_spans=TOP_SPANS):
    """The predicted label of `task` for `text` and the contribution of its sentences and word runs.

    Returns {"label", "probability", "sentences": [{"start", "end", "text", "contribution"}],
    "spans": [...same keys, the `top_spans` most influential non-overlapping runs...],
    "evaluations": number of texts scored}. Offsets index into `text`.
    """
    sentences = sentence_spans(text)
    runs = word_spans(text)
    variants = [text] + [without(text, s, e) for s, e in sentences + runs]
    probs = classifier.predict_proba(variants, batch_size=batch_size)[task]
    column = int(np.argmax(probs[0]))
    drops = probs[0, column] - probs[1:, column]
    pieces = [{"start": s, "end": e, "text": text[s:e], "contribution": round(float(d), 6)}
              for (s, e), d in zip(sentences + runs, drops)]
    return {
        "label": classifier.schema.labels(task)[column],
        "probability": round(float(probs[0, column]), 6),
        "sentences": pieces[:len(sentences)],
        "spans": most_influential(pieces[len(sentences):], top_spans),
        "evaluations": len(variants),
    }


def most_influential(pieces, limit):
    """Up to `limit` pieces with the largest absolute contribution, none overlapping another."""
    chosen = []
    for piece in sorted(pieces, key=lambda p: -abs(p["contribution"])):
        if len(chosen) == limit:
            break
        if all(piece["end"] <= c["start"] or piece["start"] >= c["end"] for c in chosen):
            chosen.append(piece)
    return sorted(chosen, key=lambda p: p["start"])
