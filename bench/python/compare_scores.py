#!/usr/bin/python3
"""Scores the same inputs as an `ipiqa score --out X.jsonl` run with the reference pipeline and
prints the largest absolute difference per score; exit 1 when it exceeds --tolerance.

  bench/python/compare_scores.py --weights W.safetensors --config W.config.json \
      --input IMAGES --ours RESULTS.jsonl [--tolerance 1e-3]
"""
import argparse
import json
import os
import sys


def read_ours(path):
    """Returns {image file name: (quality, alignment)}; raises ValueError naming the line of a bad entry."""
    scores = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                s = entry["scores"]
                scores[os.path.basename(entry["image"])] = (float(s["quality"]), float(s["alignment"]))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                raise ValueError(f"{path} line {number}: not a scored result ({e})") from e
    return scores


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--input", required=True, help="the folder or .jsonl manifest `ipiqa score` read")
    parser.add_argument("--ours", required=True, help="the .jsonl results `ipiqa score` wrote")
    parser.add_argument("--tolerance", type=float, default=1e-3)
    args = parser.parse_args(argv)

    import torch
    from PIL import Image

    from e2e_bench import read_inputs
    from ipiqa_ref import default_tokenizer, eval_transform, load_config, load_model

    torch.set_num_threads(max(os.cpu_count() or 1, 1))
    try:
        ours = read_ours(args.ours)
        items = read_inputs(args.input)
        config = load_config(args.config)
        model = load_model(args.weights, config, default_tokenizer())
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    transform = eval_transform(config["input_resolution"])
    worst = [0.0, 0.0]
    for path, prompt in items:
        name = os.path.basename(path)
        if name not in ours:
            print(f"error: '{name}' has no result in {args.ours}", file=sys.stderr)
            return 2
        with Image.open(path) as image:
            pixels = transform(image.convert("RGB")).unsqueeze(0)
        with torch.no_grad():
            ref = model(pixels, [prompt])[0].tolist()
        diff = [abs(a - b) for a, b in zip(ref, ours[name])]
        worst = [max(w, d) for w, d in zip(worst, diff)]
        print(f"{name}: reference {ref[0]:.6f} {ref[1]:.6f}  ours {ours[name][0]:.6f} {ours[name][1]:.6f}  diff {diff[0]:.2e} {diff[1]:.2e}")
    print(f"{len(items)} images, max abs diff: quality {worst[0]:.2e}, alignment {worst[1]:.2e} (tolerance {args.tolerance:g})")
    return 0 if max(worst) <= args.tolerance else 1


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main(sys.argv[1:]))
