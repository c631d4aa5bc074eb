#!/usr/bin/env python3
"""Reference preprocessing benchmark: Pillow decode + convert("RGB"), torchvision Resize((S,S), BICUBIC),
ToTensor, Normalize(CLIP mean/std), single-threaded. Prints the same JSON as `ipiqa bench preprocess`.

Without torchvision (Debian's python3-torch has none), the same steps in Pillow and torch: torchvision's
Resize on a PIL image is Pillow's resize((S,S), BICUBIC), ToTensor is the uint8 HWC array as a float
CHW tensor divided by 255, and Normalize subtracts the mean and divides by the std per channel, each
as torchvision 0.14 writes it; the "decoder" field says which ran.

Usage: preprocess_bench.py --input DIR --size S [--rounds R]
"""
import argparse
import io
import json
import os
import time

import numpy as np
import PIL
import torch
from PIL import Image

try:
    import torchvision
    from torchvision import transforms
except ImportError:
    torchvision = None

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def torch_transform(size: int):
    """torchvision 0.14's Resize((size, size), BICUBIC), ToTensor() and Normalize(CLIP) on a PIL RGB image."""
    mean = torch.as_tensor(CLIP_MEAN, dtype=torch.float32)[:, None, None]
    std = torch.as_tensor(CLIP_STD, dtype=torch.float32)[:, None, None]

    def transform(image: Image.Image) -> torch.Tensor:
        image = image.resize((size, size), Image.BICUBIC)
        tensor = torch.from_numpy(np.array(image, np.uint8, copy=True))
        tensor = tensor.view(image.size[1], image.size[0], 3).permute((2, 0, 1)).contiguous()
        tensor = tensor.to(dtype=torch.float32).div(255)
        return tensor.clone().sub_(mean).div_(std)

    return transform


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
    if torchvision is not None:
        transform = transforms.Compose([
            transforms.Resize((args.size, args.size), interpolation=transforms.InterpolationMode.BICUBIC),
            transforms.ToTensor(),
            transforms.Normalize(CLIP_MEAN, CLIP_STD),
        ])
        steps = f"torchvision {torchvision.__version__}"
    else:
        transform = torch_transform(args.size)
        steps = f"torch {torch.__version__} (torchvision's steps)"

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
