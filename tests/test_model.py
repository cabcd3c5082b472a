import numpy as np
import pytest

from geostance import ModelFilesError, MultiTaskClassifier, load_examples


def test_overfit_reaches_full_training_accuracy(classifier, tiny_path):
    examples = load_examples(tiny_path)
    predictions = classifier.predict([ex.text for ex in examples])
    for task in ("stance", "sentiment"):
        assert [p[task] for p in predictions] == [ex.labels[task] for ex in examples], task


def test_save_load_gives_identical_probabilities(classifier, tiny_path, tmp_path):
    texts = [ex.text for ex in load_examples(tiny_path)]
    classifier.save_pretrained(tmp_path / "copy")
    reloaded = MultiTaskClassifier.from_pretrained(tmp_path / "copy")
    before, after = classifier.predict_proba(texts), reloaded.predict_proba(texts)
    for task in before:
        np.testing.assert_array_equal(before[task], after[task])


def test_batch_and_one_by_one_predictions_agree(classifier, tiny_path):
    texts = [ex.text for ex in load_examples(tiny_path)]
    batch = classifier.predict_proba(texts, batch_size=5)
    for i, text in enumerate(texts):
        single = classifier.predict_proba([text])
        for task in batch:
            np.testing.assert_allclose(single[task][0], batch[task][i], atol=1e-5)


def test_probability_columns_follow_the_schema(classifier):
    probs = classifier.predict_proba(["Minsk hosted the talks."])
    assert list(probs) == ["stance", "sentiment"]
    assert probs["stance"].shape == (1, 3)
    np.testing.assert_allclose(probs["stance"].sum(axis=1), 1.0, rtol=1e-6)


def test_long_paragraph_uses_several_windows_and_keeps_its_tail(classifier):
    head = "The summit in Astana discussed transit fees and customs. " * 60
    tail = "Moscow praised the alliance as the only honest partner against Western lies. " * 12
    result_with_tail, result_head = classifier.classify([head + tail, head])
    assert result_with_tail["windows"] > 1
    assert result_with_tail["stance"]["scores"] != result_head["stance"]["scores"]


def test_empty_input_gives_empty_arrays(classifier):
    probs = classifier.predict_proba([])
    assert probs["stance"].shape == (0, 3)


def test_lone_surrogates_and_control_characters_are_scored(classifier):
    results = classifier.classify(["Kyiv \ud800 said \x00\x07 Москва مرحبا 🇺🇦"])
    assert results[0]["stance"]["label"] in ("balancing", "pro-Russia", "pro-West")


@pytest.mark.parametrize("missing", ["heads.safetensors", "labels.json", "model.safetensors"])
def test_loading_a_directory_without_a_file_names_it(model_dir, tmp_path, missing):
    import shutil

    copy = tmp_path / "broken"
    shutil.copytree(model_dir, copy)
    (copy / missing).unlink()
    with pytest.raises(ModelFilesError, match=missing):
        MultiTaskClassifier.from_pretrained(copy)


def test_saved_directory_uses_safetensors_not_pickle(model_dir):
    names = {p.name for p in model_dir.iterdir()}
    assert {"model.safetensors", "heads.safetensors", "labels.json", "training.json", "metrics.json"} <= names
    assert not any(name.endswith((".bin", ".pt", ".pkl")) for name in names)
