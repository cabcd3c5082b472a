"""Splitting an article into paragraphs, keeping character offsets into the original text."""

import re
from dataclasses import dataclass

BLOCK_GAP = re.compile(r"\n[ \t\r\f\v]*\n\s*")
BULLET = re.compile(r"^\s*(?:[-*•‣◦–—]|\d{1,3}[.)])\s+")
SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
SHORT_WORDS = 6
HEADING_WORDS = 14
PROSE_LINE_WORDS = 15


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str


def split_paragraphs(text):
    """Paragraphs of `text` with [start, end) offsets; every non-blank character belongs to one.

    Blank lines separate blocks. Inside a block, a line that ends a sentence and is
    long enough to be a paragraph of its own starts a new paragraph; hard-wrapped
    lines are joined, and consecutive bullet items stay together as one list with the
    line that introduces them. A very short fragment such as a caption joins the
    paragraph before it, and a heading (a short line without closing punctuation) joins the paragraph after it.
    """
    pieces = []
    for start, end in _blocks(text):
        pieces.extend(_split_block(text, start, end))
    return [Paragraph(s, e, " ".join(text[s:e].split())) for s, e in _merge_short(text, pieces)]


def _blocks(text):
    start = 0
    for gap in BLOCK_GAP.finditer(text):
        yield from _trimmed(text, start, gap.start())
        start = gap.end()
    yield from _trimmed(text, start, len(text))


def trim_span(text, start, end):
    """The [start, end) span narrowed to exclude surrounding whitespace."""
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    return start + left, start + len(chunk.rstrip())


def _trimmed(text, start, end):
    if text[start:end].strip():
        yield trim_span(text, start, end)


def _lines(text, start, end):
    position = start
    for line in text[start:end].split("\n"):
        yield from _trimmed(text, position, position + len(line))
        position += len(line) + 1


def _split_block(text, start, end):
    """Cut a block at lines that close a prose paragraph or at the edges of bullet lists."""
    spans, current = [], None
    previous_closed, previous_bullet, previous_intro = False, False, False
    for s, e in _lines(text, start, end):
        line = text[s:e]
        bullet = bool(BULLET.match(line))
        list_starts_after_intro = bullet and previous_intro
        breaks = current is None or previous_closed or (bullet != previous_bullet and not list_starts_after_intro)
        if breaks:
            if current:
                spans.append(tuple(current))
            current = [s, e]
        else:
            current[1] = e
        previous_bullet = bullet
        previous_intro = not bullet and (line.endswith(":") or _is_heading(line))
        previous_closed = not bullet and bool(SENTENCE_END.search(line)) and len(line.split()) >= PROSE_LINE_WORDS
    if current:
        spans.append(tuple(current))
    return spans


def _is_heading(line):
    return len(line.split()) <= HEADING_WORDS and not SENTENCE_END.search(line) and not BULLET.match(line)


def _merge_short(text, spans):
    """Attach headings forward and short fragments backward, so no piece is lost or left alone."""
    merged, pending = [], None
    for s, e in spans:
        if pending is not None:
            s, pending = pending, None
        chunk = text[s:e]
        if merged and len(chunk.split()) < SHORT_WORDS:
            merged[-1] = (merged[-1][0], e)
        elif _is_heading(chunk) and "\n" not in chunk:
            pending = s
        else:
            merged.append((s, e))
    if pending is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((pending, spans[-1][1]))
    return merged
