import json

import pytest

from geostance import DataError, LabelSchema, load_examples


def write_jsonl(tmp_path, lines, name="data.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "a", "text": "Moscow welcomed the deal.", "stance": "pro-Russia", "sentiment": "positive"}


def test_reads_labels_and_metadata(tmp_path):
    path = write_jsonl(tmp_path, [GOOD | {"year": 2021, "country": "Russia"}, {"id": "b", "text": "Only sentiment here.", "sentiment": "neutral"}])
    first, second = load_examples(path)
    assert first.labels == {"stance": "pro-Russia", "sentiment": "positive"}
    assert first.meta["year"] == 2021 and first.meta["country"] == "Russia"
    assert second.labels == {"sentiment": "neutral"}


@pytest.mark.parametrize("line, field, message", [
    ("{not json", "", "bad JSON"),
    ("[1, 2]", "", "expected a JSON object"),
    ({"id": "x"}, "text", "missing"),
    ({"id": "x", "text": "   "}, "text", "is empty"),
    ({"id": "x", "text": 42}, "text", "must be a string"),
    ({"id": "x", "text": "ok", "stance": "pro-west"}, "stance", "unknown label 'pro-west'"),
    ({"id": "x", "text": "ok", "sentiment": 1}, "sentiment", "label must be a string"),
    ({"id": ["x"], "text": "ok"}, "id", "must be a string or integer"),
    ({"id": "x", "text": "ok", "year": "last year"}, "year", "must be an integer"),
    ({"id": "x", "text": "ok", "hard_case": "maybe"}, "hard_case", "must be true or false"),
])
def test_each_bad_row_is_reported_with_file_line_and_field(tmp_path, line, field, message):
    path = write_jsonl(tmp_path, [GOOD, line])
    with pytest.raises(DataError) as caught:
        load_examples(path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.field) == (str(path), 2, field)
    assert message in problem.message
    assert f"{path}:2" in str(caught.value)


def test_duplicate_id_names_both_lines(tmp_path):
    path = write_jsonl(tmp_path, [GOOD, GOOD])
    with pytest.raises(DataError) as caught:
        load_examples(path)
    (problem,) = caught.value.problems
    assert problem.line == 2 and problem.field == "id" and f"{path}:1" in problem.message


def test_every_problem_in_a_file_is_collected(tmp_path):
    path = write_jsonl(tmp_path, ["{oops", {"text": ""}, GOOD, {"id": "z", "text": "t", "stance": "neutral"}])
    with pytest.raises(DataError) as caught:
        load_examples(path)
    assert [p.line for p in caught.value.problems] == [1, 2, 4]


def test_schema_restricts_labels(tmp_path):
    path = write_jsonl(tmp_path, [{"id": "a", "text": "t", "topic": "arms"}])
    schema = LabelSchema({"topic": ["energy", "media"]})
    with pytest.raises(DataError, match="unknown label 'arms'"):
        load_examples(path, schema)


def test_custom_tasks_are_read_from_the_data(tmp_path):
    path = write_jsonl(tmp_path, [{"text": "t1", "frame": "security"}, {"text": "t2", "frame": "economy"}])
    examples = load_examples(path)
    assert LabelSchema.from_examples(examples).to_dict() == {"frame": ["economy", "security"]}
    assert examples[0].id == "data.jsonl:1"


def test_csv_with_errors_names_lines(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text('id,text,stance,year\n1,"Kyiv, defiant.",pro-West,2022\n2,,balancing,\n3,"A ""quoted"" word",pro-east,1999\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_examples(path)
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "text"), (4, "stance")]


def test_csv_round_trip(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text('id,text,stance,sentiment,hard_case\n1,"Kyiv, defiant.",pro-West,,true\n', encoding="utf-8")
    (example,) = load_examples(path)
    assert example.text == "Kyiv, defiant." and example.labels == {"stance": "pro-West"}
    assert example.meta["hard_case"] is True


@pytest.mark.parametrize("name, content, message", [
    ("missing.jsonl", None, "file not found"),
    ("data.txt", "hello", "unsupported file type"),
    ("data.jsonl", "", "no rows found"),
])
def test_file_level_problems(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(DataError, match=message):
        load_examples(path)


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b'\n{"text": "bad \xff byte"}\n')
    with pytest.raises(DataError) as caught:
        load_examples(path)
    assert caught.value.problems[0].line == 2
