#!/usr/bin/python3
"""Reads bench/side_by_side.sh's reports.jsonl and prints the Markdown table of best figures.

For each (threads, batch size, text mode) and side: the best (highest) images/s and the best
(lowest) process CPU ms per image over the rounds, the stage times of the best round, and the
ratios ours / reference of throughput and of CPU cost.
"""
import json
import sys
from collections import defaultdict


def cpu_ms(report):
    return report["process_cpu_s"] * 1000.0 / report["images"]


def main(path):
    groups = defaultdict(list)
    loads = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            try:
                r = json.loads(line)
                groups[(r["threads"], r["batch_size"], r["text"], r["side"])].append(r)
                loads.append(r.get("load_average") or 0.0)
            except (json.JSONDecodeError, KeyError) as e:
                print(f"error: {path} line {number}: not a tagged report ({e})", file=sys.stderr)
                return 2
    print("| threads | batch | text | reference img/s (cpu ms/img) | ours img/s (cpu ms/img) | ratio img/s | ratio cpu | ours stage ms: preprocess, model |")
    print("|---|---|---|---|---|---|---|---|")
    for (t, b, text) in sorted({k[:3] for k in groups}):
        ref, ours = groups.get((t, b, text, "reference")), groups.get((t, b, text, "ours"))
        if not ref or not ours:
            continue
        r_best, o_best = max(ref, key=lambda r: r["images_per_s"]), max(ours, key=lambda r: r["images_per_s"])
        r_cpu, o_cpu = min(map(cpu_ms, ref)), min(map(cpu_ms, ours))
        stages = o_best["stage_ms"]
        print(f"| {t} | {b} | {text} | {r_best['images_per_s']:.2f} ({r_cpu:.0f}) | {o_best['images_per_s']:.2f} ({o_cpu:.0f}) "
              f"| {o_best['images_per_s'] / r_best['images_per_s']:.2f}x | {r_cpu / o_cpu:.2f}x "
              f"| {stages['preprocess']:.0f}, {stages['model']:.0f} |")
    if loads:
        print(f"\nload average during the runs: {min(loads):.1f} to {max(loads):.1f} (runs: {sum(map(len, groups.values()))})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ipiqa-side-by-side/reports.jsonl"))
