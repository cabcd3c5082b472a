import pytest

from geostance import LabelSchema, SchemaError


def test_labels_are_sorted_and_indexed():
    schema = LabelSchema({"stance": ["pro-West", "balancing", "pro-Russia"]})
    assert schema.labels("stance") == ("balancing", "pro-Russia", "pro-West")
    assert schema.index("stance", "pro-West") == 2


def test_a_task_with_one_label_is_refused_by_name():
    with pytest.raises(SchemaError, match="task 'sentiment' has 1 label"):
        LabelSchema({"stance": ["a", "b"], "sentiment": ["neutral"]})


def test_no_tasks_is_refused():
    with pytest.raises(SchemaError):
        LabelSchema({})


def test_save_and_load_round_trip(tmp_path):
    schema = LabelSchema({"stance": ["pro-West", "balancing"], "topic": ["energy", "arms", "media"]})
    schema.save(tmp_path / "labels.json")
    assert LabelSchema.load(tmp_path / "labels.json") == schema
