import pytest

from geostance.windows import split_windows


def test_short_sequence_is_one_window():
    assert split_windows([1, 2, 3], 5, 2) == [[1, 2, 3]]


def test_long_sequence_windows_overlap_and_cover_everything():
    ids = list(range(23))
    windows = split_windows(ids, 10, 4)
    assert all(len(w) <= 10 for w in windows)
    assert windows[0][-4:] == windows[1][:4]
    assert sorted(set(i for w in windows for i in w)) == ids
    assert windows[-1][-1] == 22


def test_overlap_must_be_smaller_than_window():
    with pytest.raises(ValueError):
        split_windows([1, 2], 4, 4)
