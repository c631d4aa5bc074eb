#!/usr/bin/env python3
"""Reference preprocessing benchmark: Pillow decode + convert("RGB"), torchvision Resize((S,S), BICUBIC),
ToTensor, Normalize(CLIP mean/std), single-threaded. Prints the same JSON as `ipiqa bench preprocess`.

Without torchvision (Debian's python3-torch has none), ipiqa_ref.eval_transform runs the same steps
in Pillow and torch (ipiqa_ref.torch_eval_transform); the "decoder" field says which ran.

glibc's malloc hands the blocks of a large decode back to the kernel after every image and the next
image faults them in again, which on a virtual machine can cost the reference more than its decode
(docs/benchmarks.md, "The reference's page faults"). So the script re-executes itself with
MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ set (GLIBC_KEEP_MEMORY below) unless they are set
already or --glibc-default asks for glibc's own behaviour; the JSON's "glibc" field says which ran.

Usage: preprocess_bench.py --input DIR --size S [--rounds R] [--glibc-default]
"""
import argparse
import io
import json
import os
import sys
import time

import PIL
import torch
from PIL import Image

from ipiqa_ref import CLIP_MEAN, CLIP_STD, eval_transform


# The values docs/benchmarks.md uses for both sides: no mmap for blocks under 256 MiB, no trim under 1 GiB.
GLIBC_KEEP_MEMORY = {"MALLOC_MMAP_THRESHOLD_": "268435456", "MALLOC_TRIM_THRESHOLD_": "1073741824"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--glibc-default", action="store_true", help="keep glibc's malloc behaviour (each large image faults its memory in again)")
    args = parser.parse_args()
    if not args.glibc_default and any(k not in os.environ for k in GLIBC_KEEP_MEMORY):
        # glibc reads these once, at process start: set them and start again.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **GLIBC_KEEP_MEMORY})

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
        "glibc": "default" if args.glibc_default else " ".join(f"{k}={os.environ.get(k)}" for k in GLIBC_KEEP_MEMORY),
    }))


if __name__ == "__main__":
    main()
