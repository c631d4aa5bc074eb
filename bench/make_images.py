#!/usr/bin/env -S /usr/bin/python3
"""Writes seeded photo-like test images (JPEG, PNG or WebP), each with a same-named .txt prompt, plus manifest.jsonl.

The folder is the input both `ipiqa bench e2e --input DIR` and bench/python/e2e_bench.py read.
Each image is a sum of smooth random fields at several scales (a 1/f-like spectrum, as in
photographs), a sky-to-ground gradient, a few soft-edged discs and fine sensor-like noise.

  bench/make_images.py --out /tmp/ipiqa-bench-images --count 64 --size 1024
  bench/make_images.py --out /tmp/ipiqa-png-1536x640 --count 8 --size 1536 --height 640 --format png

PNG is saved as Pillow saves it by default (zlib level 6), as generators do; --height crops the
square field to size x height.
"""

import argparse
import json
import os
import sys

import numpy as np
from PIL import Image

SUBJECTS = ["a red fox", "an old lighthouse", "a bowl of ramen", "a vintage car", "a snowy mountain village",
            "a cat on a windowsill", "a futuristic city", "a field of sunflowers"]
STYLES = ["at golden hour", "in heavy rain", "oil painting", "studio photograph, 85mm", "watercolor",
          "cinematic lighting, 4k", "isometric illustration", "long exposure at night"]


def smooth_field(rng, size, cells):
    """A random field of cells x cells values, bicubically upsampled to size x size, in [0, 1]."""
    coarse = rng.random((cells, cells), dtype=np.float32)
    return np.asarray(Image.fromarray(coarse).resize((size, size), Image.Resampling.BICUBIC), dtype=np.float32)


def photo_like(rng, size):
    y = np.linspace(0.0, 1.0, size, dtype=np.float32)[:, None, None]
    top, bottom = rng.random(3, dtype=np.float32), rng.random(3, dtype=np.float32)
    image = (1 - y) * top + y * bottom + np.zeros((size, size, 3), dtype=np.float32)
    for cells, weight in ((3, 0.5), (8, 0.3), (24, 0.15), (96, 0.07)):
        tint = rng.random(3, dtype=np.float32) * 0.6 + 0.7
        image += (smooth_field(rng, size, cells)[..., None] - 0.5) * weight * tint
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    for _ in range(int(rng.integers(2, 6))):
        cx, cy, r = rng.random() * size, rng.random() * size, (0.05 + rng.random() * 0.2) * size
        edge = np.clip((r - np.hypot(xx - cx, yy - cy)) / (0.02 * size), 0.0, 1.0)[..., None]
        image = image * (1 - edge) + edge * rng.random(3, dtype=np.float32)
    image += rng.normal(0.0, 0.015, image.shape).astype(np.float32)
    return Image.fromarray((np.clip(image, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--quality", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--format", choices=["jpeg", "png", "webp"], default="jpeg")
    parser.add_argument("--height", type=int, default=0, help="crop to --size x --height (0: square)")
    args = parser.parse_args()
    if args.count < 1 or args.size < 16 or not 1 <= args.quality <= 100 or not 0 <= args.height <= args.size:
        print("error: --count must be >= 1, --size >= 16, --quality in 1..100, --height in 0..--size", file=sys.stderr)
        return 2
    extension = {"jpeg": "jpg", "png": "png", "webp": "webp"}[args.format]
    height = args.height or args.size
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    with open(os.path.join(args.out, "manifest.jsonl"), "w", encoding="utf-8") as manifest:
        for i in range(args.count):
            name = f"img{i:03d}.{extension}"
            image = photo_like(rng, args.size).crop((0, 0, args.size, height))
            if args.format == "png":
                image.save(os.path.join(args.out, name))
            else:
                image.save(os.path.join(args.out, name), quality=args.quality)
            prompt = f"{SUBJECTS[int(rng.integers(len(SUBJECTS)))]}, {STYLES[int(rng.integers(len(STYLES)))]}"
            with open(os.path.join(args.out, f"img{i:03d}.txt"), "w", encoding="utf-8") as f:
                f.write(prompt + "\n")
            manifest.write(json.dumps({"image": name, "prompt": prompt}) + "\n")
    print(f"wrote {args.count} {args.format} images of {args.size}x{height} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
