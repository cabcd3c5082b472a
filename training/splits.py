"""Splitting labeled examples for model selection and evaluation."""

import numpy as np


def stratified_split(examples, fraction, seed):
    """Hold out about `fraction` of the examples, stratified on their joint labels.

    Label combinations too rare to split stay in the training part. Returns (train, held_out).
    """
    rng = np.random.default_rng(seed)
    groups = {}
    for i, ex in enumerate(examples):
        groups.setdefault(tuple(sorted(ex.labels.items())), []).append(i)
    held = set()
    for key in sorted(groups):
        members = groups[key]
        take = int(round(len(members) * fraction))
        if len(members) >= 2 and take:
            held.update(rng.choice(members, size=min(take, len(members) - 1), replace=False).tolist())
    train = [ex for i, ex in enumerate(examples) if i not in held]
    return train, [ex for i, ex in enumerate(examples) if i in held]
