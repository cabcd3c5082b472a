"""Batch scoring throughput: rows/s of the local engine and of Ray on the same generated input, in one run."""

import argparse
import glob
import json
import os
import random
import tempfile
import time
from pathlib import Path

from service.ray_engine import score_with_ray
from service.score import score_file


def generate_input(path, rows, seed):
    """Write `rows` paragraphs drawn at random from datasets/*.jsonl, with ids, as JSONL."""
    texts = [json.loads(line)["text"] for name in sorted(glob.glob("datasets/*.jsonl"))
             for line in Path(name).read_text().splitlines() if line.strip()]
    pick = random.Random(seed).choices(texts, k=rows)
    path.write_text("".join(json.dumps({"id": f"row-{i}", "text": text}) + "\n" for i, text in enumerate(pick)))


def timed(run):
    """Run one job; return its summary and its wall time including model loading and Ray start-up."""
    start = time.monotonic()
    summary = run()
    return summary, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="models/default", help="model directory")
    parser.add_argument("--rows", type=int, default=3000, help="rows in the generated input")
    parser.add_argument("--num-cpus", type=int, default=os.cpu_count(), help="CPUs for the local Ray instance")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input.jsonl"
        generate_input(source, args.rows, args.seed)
        local, local_wall = timed(lambda: score_file(args.model, source, Path(tmp) / "local.jsonl", id_column="id"))
        ray, ray_wall = timed(lambda: score_with_ray(args.model, source, Path(tmp) / "ray.jsonl", id_column="id",
                                                     num_cpus=args.num_cpus))
    print(f"input: {args.rows} paragraphs from datasets/*.jsonl; Ray: local instance, {args.num_cpus} CPUs, one actor per CPU")
    print(f"{'engine':<8}{'rows/s (scoring)':>18}{'rows/s (wall, incl. start-up)':>32}")
    for name, summary, wall in (("local", local, local_wall), ("ray", ray, ray_wall)):
        print(f"{name:<8}{summary['rows_per_second']:>18.1f}{args.rows / wall:>32.1f}")
    print(f"ratio ray/local: {ray['rows_per_second'] / local['rows_per_second']:.2f} (scoring), "
          f"{local_wall / ray_wall:.2f} (wall)")


if __name__ == "__main__":
    main()
