import pytest

from geostance.paragraphs import split_paragraphs

ARTICLE = """Russia and the South Caucasus

Baku signed a new deal with Gazprom on Tuesday, officials said. The agreement covers
transit volumes for the coming winter and was described as routine by both sides.

Photo: Reuters

Key points
- Azerbaijan keeps exporting gas to Italy through the southern corridor.
- Armenia froze its participation in the Russian-led security bloc.

Tbilisi insists that its European path is irreversible, whatever the ruling party says in public.
Moscow called the statement a provocation orchestrated from Brussels and Washington by hostile actors.
"""


def spans(text):
    return [(p.start, p.end) for p in split_paragraphs(text)]


def test_offsets_point_into_the_original_text():
    for p in split_paragraphs(ARTICLE):
        assert " ".join(ARTICLE[p.start:p.end].split()) == p.text


def test_every_word_belongs_to_exactly_one_paragraph():
    paragraphs = split_paragraphs(ARTICLE)
    covered = " ".join(p.text for p in paragraphs)
    assert covered.split() == ARTICLE.split()
    assert all(a.end <= b.start for a, b in zip(paragraphs, paragraphs[1:]))


def test_headings_join_forward_captions_backward_prose_lines_split():
    texts = [p.text for p in split_paragraphs(ARTICLE)]
    assert len(texts) == 4
    assert texts[0].startswith("Russia and the South Caucasus Baku signed")
    assert texts[0].endswith("Photo: Reuters")
    assert texts[1].startswith("Key points - Azerbaijan") and "Armenia froze" in texts[1]
    assert texts[2].startswith("Tbilisi") and texts[3].startswith("Moscow")


def test_hard_wrapped_lines_are_joined():
    text = "The foreign minister said on Monday that\nthe talks in Istanbul would continue\nnext week despite the strikes."
    assert len(split_paragraphs(text)) == 1


@pytest.mark.parametrize("text, count", [
    ("", 0), ("   \n\n  ", 0), ("One line only", 1), ("Moscow.\n\n\n\nKyiv replied at length today.", 1),
    ("Первый абзац о газе и трубопроводах в Европе сегодня.\n\nفقرة ثانية عن العلاقات مع روسيا والغرب اليوم.", 2),
])
def test_edge_cases(text, count):
    assert len(split_paragraphs(text)) == count
