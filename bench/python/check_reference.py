#!/usr/bin/env -S /usr/bin/python3
"""Checks ipiqa_ref.py and clip_tokenizer.py against the official implementation's fixtures.

Runs the tiny fixture model (ipiqa.safetensors, and ipiqa.pt) on pixels.f32 and the manifest's
token ids and compares scores, text_features, visual_pooled and text_pooled (max abs diff
< 1e-4); round-trips the checkpoint through
safetensors_io's writer; reproduces pixels.f32 from images/ with PIL and with the torchvision eval transform;
tokenizes clip-bpe/cases.jsonl and the manifest prompts. Exits 1 on any failure.
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

from clip_tokenizer import ClipTokenizer
from ipiqa_ref import CLIP_MEAN, CLIP_STD, eval_transform, fixtures_dir, load_config, load_model
from safetensors_io import read_safetensors, write_safetensors

TOLERANCE = 1e-4


def read_f32(folder, entry):
    data = np.fromfile(os.path.join(folder, entry["file"]), dtype="<f4")
    return data.reshape(entry["shape"])


def pil_pixels(path, size):
    image = Image.open(path).convert("RGB").resize((size, size), Image.BICUBIC)
    x = np.asarray(image, dtype=np.float32) / 255.0
    x = (x - np.array(CLIP_MEAN, dtype=np.float32)) / np.array(CLIP_STD, dtype=np.float32)
    return x.transpose(2, 0, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", default=fixtures_dir())
    args = parser.parse_args()
    ref = os.path.join(args.fixtures, "ipiqa-reference")
    manifest_path = os.path.join(ref, "manifest.json")
    if not os.path.isfile(manifest_path):
        print(f"fixture absent: {manifest_path}", file=sys.stderr)
        return 2
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    config = load_config(manifest_path)
    tensors = {name: read_f32(ref, entry) for name, entry in manifest["tensors"].items()}
    ids = torch.tensor([s["token_ids"] for s in manifest["samples"]], dtype=torch.long)
    pixels = torch.from_numpy(tensors["pixels"].copy())
    failures = []

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    for weights in ("ipiqa.safetensors", "ipiqa.pt"):
        model = load_model(os.path.join(ref, weights), config)
        with torch.no_grad():
            text_features = model.encode_text(ids)
            scores, visual_pooled, text_pooled = model.forward_features(pixels, text_features)
        outputs = {"scores": scores, "text_features": text_features,
                   "visual_pooled": visual_pooled, "text_pooled": text_pooled}
        for name, value in outputs.items():
            diff = float(np.abs(value.numpy() - tensors[name]).max())
            ok = diff < TOLERANCE
            print(f"{weights:18s} {name:14s} max_abs_diff={diff:.3e} {'ok' if ok else 'FAIL'}")
            if not ok:
                failures.append(f"{weights} {name}")

    # the writer round-trips the fixture checkpoint exactly (dtypes, 0-d scalars, values)
    original, _ = read_safetensors(os.path.join(ref, "ipiqa.safetensors"))
    with tempfile.TemporaryDirectory() as folder:
        copy_path = os.path.join(folder, "copy.safetensors")
        write_safetensors(copy_path, original, {"check": "round trip"})
        copy, metadata = read_safetensors(copy_path)
    same = (list(copy) == list(original) and metadata == {"check": "round trip"} and all(
        copy[k].dtype == v.dtype and copy[k].shape == v.shape and np.array_equal(copy[k], v) for k, v in original.items()))
    print(f"safetensors round trip of {len(original)} tensors: {'ok' if same else 'FAIL'}")
    if not same:
        failures.append("safetensors round trip")

    # the official forward tokenizes prompt strings itself: same scores through that path
    model = load_model(os.path.join(ref, "ipiqa.safetensors"), config, ClipTokenizer())
    with torch.no_grad():
        scores = model(pixels, [s["prompt"] for s in manifest["samples"]])
    diff = float(np.abs(scores.numpy() - tensors["scores"]).max())
    print(f"{'prompt strings':18s} {'scores':14s} max_abs_diff={diff:.3e} {'ok' if diff < TOLERANCE else 'FAIL'}")
    if diff >= TOLERANCE:
        failures.append("scores from prompt strings")

    size = config["input_resolution"]
    transform = eval_transform(size)
    for label, make in (("PIL", lambda p: pil_pixels(p, size)),
                        ("torchvision", lambda p: transform(Image.open(p).convert("RGB")).numpy())):
        mine = np.stack([make(os.path.join(ref, s["image"])) for s in manifest["samples"]])
        diff = np.abs(mine - tensors["pixels"])
        print(f"pixels via {label:12s} max_abs_diff={diff.max():.3e} mean_abs_diff={diff.mean():.3e}")
        if diff.max() >= TOLERANCE:
            failures.append(f"pixels via {label}")

    tokenizer = ClipTokenizer()
    cases = []
    with open(os.path.join(args.fixtures, "clip-bpe", "cases.jsonl"), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                case = json.loads(line)
                cases.append((f"cases.jsonl:{number}", case["text"], case["ids"], case["truncated"]))
    cases += [(f"manifest sample {i}", s["prompt"], s["token_ids"], None) for i, s in enumerate(manifest["samples"])]
    wrong = []
    for where, text, expected, truncated in cases:
        got, was_truncated = tokenizer.tokenize(text)
        if got != expected or (truncated is not None and was_truncated != truncated):
            wrong.append(where)
    print(f"tokenizer: {len(cases) - len(wrong)}/{len(cases)} cases match" + (f"; wrong: {', '.join(wrong)}" if wrong else ""))
    if wrong:
        failures.append("tokenizer")

    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
