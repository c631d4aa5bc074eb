#!/usr/bin/env python3
"""Reference preprocessing benchmark: Pillow decode + convert("RGB"), torchvision Resize((S,S), BICUBIC),
ToTensor, Normalize(CLIP mean/std), single-threaded. Prints the same JSON as `ipiqa bench preprocess`.

Without torchvision (Debian's python3-torch has none), ipiqa_ref.eval_transform runs the same steps
in Pillow and torch (ipiqa_ref.torch_eval_transform); the "decoder" field says which ran.

Usage: preprocess_bench.py --input DIR --size S [--rounds R]
"""
import argparse
import io
import json
import os
import time

import PIL
import torch
from PIL import Image

from ipiqa_ref import CLIP_MEAN, CLIP_STD, eval_transform


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    torch.set_num_threads(1)
    images = (".jpg", ".jpeg", ".png", ".webp")  # the prompts and manifest beside them are not read
    names = sorted(n for n in os.listdir(args.input) if n.lower().endswith(images) and os.path.isfile(os.path.join(args.input, n)))
    if not names:
        raise SystemExit(f"--input: folder '{args.input}' has no files")
    files = [open(os.path.join(args.input, n), "rb").read() for n in names]
    transform = eval_transform(args.size, CLIP_MEAN, CLIP_STD)
    steps = getattr(transform, "steps", None) or f"torchvision {__import__('torchvision').__version__}"

    def preprocess(data: bytes) -> torch.Tensor:
        return transform(Image.open(io.BytesIO(data)).convert("RGB"))

    for data in files:
        preprocess(data)
    total = len(files) * args.rounds
    cpu_start = time.process_time()
    start = time.perf_counter()
    for i in range(total):
        preprocess(files[i % len(files)])
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print(json.dumps({
        "images": total,
        "ms_per_image": round(seconds * 1000 / total, 3),
        "images_per_s": round(total / seconds, 2),
        "threads": 1,
        "size": args.size,
        "decoder": f"pillow {PIL.__version__} + {steps}",
        "cpu_ms_per_image": round(cpu_seconds * 1000 / total, 3),
    }))


if __name__ == "__main__":
    main()
