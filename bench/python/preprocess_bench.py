#!/usr/bin/env python3
"""Reference preprocessing benchmark: Pillow decode + convert("RGB"), torchvision Resize((S,S), BICUBIC),
ToTensor, Normalize(CLIP mean/std), single-threaded. Prints the same JSON as `ipiqa bench preprocess`.

Usage: preprocess_bench.py --input DIR --size S [--rounds R]
"""
import argparse
import io
import json
import os
import time

import PIL
import torch
import torchvision
from PIL import Image
from torchvision import transforms

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    torch.set_num_threads(1)
    names = sorted(n for n in os.listdir(args.input) if os.path.isfile(os.path.join(args.input, n)))
    if not names:
        raise SystemExit(f"--input: folder '{args.input}' has no files")
    files = [open(os.path.join(args.input, n), "rb").read() for n in names]
    transform = transforms.Compose([
        transforms.Resize((args.size, args.size), interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.ToTensor(),
        transforms.Normalize(CLIP_MEAN, CLIP_STD),
    ])

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
        "decoder": f"pillow {PIL.__version__} + torchvision {torchvision.__version__}",
        "cpu_ms_per_image": round(cpu_seconds * 1000 / total, 3),
    }))


if __name__ == "__main__":
    main()
