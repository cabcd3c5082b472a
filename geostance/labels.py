"""Label schema: each task's ordered label tuple, the single source of column order."""

import json
from pathlib import Path

CANONICAL_LABELS = {
    "stance": ("balancing", "pro-Russia", "pro-West"),
    "sentiment": ("negative", "neutral", "positive"),
}


class SchemaError(ValueError):
    """A label schema that cannot be used (e.g. a task with fewer than two labels)."""


class LabelSchema:
    """Maps each task name to its sorted tuple of labels.

    The position of a label in its tuple is the column of its probability in every
    array the model returns.
    """

    def __init__(self, tasks):
        self.tasks = {task: tuple(sorted(labels)) for task, labels in tasks.items()}
        if not self.tasks:
            raise SchemaError("no task has any label: give at least one labeled column such as 'stance'")
        for task, labels in self.tasks.items():
            if len(labels) < 2:
                raise SchemaError(
                    f"task '{task}' has {len(labels)} label(s) {list(labels)}; a classifier needs at least two"
                )

    @classmethod
    def from_examples(cls, examples):
        """Collect every label seen per task."""
        seen = {}
        for example in examples:
            for task, label in example.labels.items():
                seen.setdefault(task, set()).add(label)
        return cls(seen)

    @property
    def task_names(self):
        return list(self.tasks)

    def labels(self, task):
        return self.tasks[task]

    def index(self, task, label):
        return self.tasks[task].index(label)

    def to_dict(self):
        return {task: list(labels) for task, labels in self.tasks.items()}

    def save(self, path):
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def load(cls, path):
        return cls(json.loads(Path(path).read_text()))

    def __eq__(self, other):
        return isinstance(other, LabelSchema) and self.tasks == other.tasks

    def __repr__(self):
        return f"LabelSchema({self.to_dict()})"
