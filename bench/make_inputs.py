#!/usr/bin/env python3
"""Makes photo-like 1024x1024 test images (smooth gradients, noise, shapes) as JPEG, PNG and WebP.

Usage: make_inputs.py OUT_DIR [--count N] [--side 1024]
Writes OUT_DIR/jpeg/*.jpg (quality 90, 4:2:0), OUT_DIR/png/*.png, OUT_DIR/webp/*.webp (lossy, quality 90).
"""
import argparse
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def photo_like(side: int, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:side, 0:side].astype(np.float32) / side
    channels = []
    for _ in range(3):
        a, b, c, d = rng.uniform(0.5, 3.0, 4)
        phase = rng.uniform(0, 2 * np.pi)
        channels.append(0.5 + 0.25 * np.sin(a * np.pi * x + phase) * np.cos(b * np.pi * y) + 0.2 * (c * x - d * y) / 3)
    base = np.clip(np.stack(channels, axis=-1) * 255, 0, 255).astype(np.uint8)
    image = Image.fromarray(base, "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(24):
        x0, y0 = rng.integers(0, side, 2)
        w, h = rng.integers(side // 20, side // 4, 2)
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse([x0, y0, x0 + w, y0 + h], fill=colour)
        else:
            draw.rectangle([x0, y0, x0 + w, y0 + h], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    noise = rng.normal(0, 6, (side, side, 3))
    return Image.fromarray(np.clip(np.asarray(image, np.float32) + noise, 0, 255).astype(np.uint8), "RGB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--side", type=int, default=1024)
    args = parser.parse_args()
    for fmt in ("jpeg", "png", "webp"):
        os.makedirs(os.path.join(args.out_dir, fmt), exist_ok=True)
    for i in range(args.count):
        image = photo_like(args.side, seed=i)
        image.save(os.path.join(args.out_dir, "jpeg", f"img{i:02d}.jpg"), quality=90, subsampling=2)
        image.save(os.path.join(args.out_dir, "png", f"img{i:02d}.png"))
        image.save(os.path.join(args.out_dir, "webp", f"img{i:02d}.webp"), quality=90)
    print(f"wrote {args.count} images per format ({args.side}x{args.side}) under {args.out_dir}")


if __name__ == "__main__":
    main()
