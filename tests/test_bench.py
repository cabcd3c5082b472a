from bench.throughput import format_table, realistic_paragraphs


def test_benchmark_paragraphs_mix_lengths_and_are_reproducible():
    texts = realistic_paragraphs(300)
    assert texts == realistic_paragraphs(300) and len(texts) == 300
    words = sorted(len(text.split()) for text in texts)
    assert words[len(words) // 10] * 3 < words[-len(words) // 10]
    assert any("\n\n" in text for text in texts)


def test_table_gives_ratios_to_the_baseline_and_points_against_torch():
    results = {"baseline": {"seconds": 100.0, "cpu_seconds": 200.0, "peak_rss_mb": 900, "test_macro_f1": None},
               "torch": {"seconds": 25.0, "cpu_seconds": 50.0, "tokenize_seconds": 0.5, "peak_rss_mb": 800,
                         "test_macro_f1": {"stance": 0.60, "sentiment": 0.62}},
               "onnx-int8": {"seconds": 20.0, "cpu_seconds": 40.0, "tokenize_seconds": 0.5, "peak_rss_mb": 700,
                             "test_macro_f1": {"stance": 0.597, "sentiment": 0.62}}}
    table = format_table(results, 2000, "onnx-int8").splitlines()
    assert table[3].startswith("onnx-int8 *") and "5.00" in table[3] and "-0.30, +0.00" in table[3]
    assert "4.00" in table[2]
