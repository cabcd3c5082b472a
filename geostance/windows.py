"""Splitting token sequences into overlapping windows that fit the encoder."""


def split_windows(token_ids, size, overlap):
    """Cut one token-id list into windows of at most `size` ids, consecutive windows sharing `overlap` ids.

    An empty list gives one empty window, so every text yields at least one window.
    """
    if size <= overlap:
        raise ValueError(f"window size {size} must exceed the overlap {overlap}")
    if len(token_ids) <= size:
        return [list(token_ids)]
    step = size - overlap
    windows = []
    for start in range(0, len(token_ids), step):
        windows.append(list(token_ids[start:start + size]))
        if start + size >= len(token_ids):
            break
    return windows
