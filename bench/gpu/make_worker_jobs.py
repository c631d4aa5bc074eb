#!/usr/bin/env python3
"""Writes N photo-like JPEGs and a jobs.jsonl for the worker's local transport (the GPU kit's worker run).

DISTINCT different images are drawn (bench/make_images.py's photo-like generator, in parallel) and
written out again as N separate files, so a 2,000-image run takes seconds to make. Prompts come in
runs of --images-per-prompt consecutive jobs, as a pipeline makes several images per prompt.
Needs numpy and Pillow only.

  bench/gpu/make_worker_jobs.py --out /tmp/ipiqa-gpu/work/worker --count 2000 --size 1024
Writes OUT/images/imgNNNNN.jpg and OUT/jobs.jsonl ({"jobId", "image": {"path"}, "prompt"} per line,
paths relative to OUT/images) and prints one JSON line with the counts.
"""
import argparse
import io
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

from make_images import STYLES, SUBJECTS, photo_like  # noqa: E402


def draw(job):
    seed, index, size, quality = job
    buffer = io.BytesIO()
    photo_like(np.random.default_rng([seed, index]), size).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--distinct", type=int, default=64, help="different images drawn (the files repeat them)")
    parser.add_argument("--images-per-prompt", type=int, default=4)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--quality", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if args.count < 1 or args.distinct < 1 or args.images_per_prompt < 1 or args.size < 16 or args.workers < 1 \
            or not 1 <= args.quality <= 100:
        parser.error("--count, --distinct, --images-per-prompt, --workers must be >= 1, --size >= 16, --quality in 1..100")

    started = time.perf_counter()
    images = os.path.join(args.out, "images")
    os.makedirs(images, exist_ok=True)
    distinct = min(args.distinct, args.count)
    jobs = [(args.seed, i, args.size, args.quality) for i in range(distinct)]
    with ProcessPoolExecutor(max_workers=min(args.workers, distinct)) as pool:
        encoded = list(pool.map(draw, jobs))

    total_bytes = 0
    with open(os.path.join(args.out, "jobs.jsonl"), "w", encoding="utf-8") as jobs_file:
        for j in range(args.count):
            name = f"img{j:05d}.jpg"
            data = encoded[j % distinct]
            with open(os.path.join(images, name), "wb") as f:
                f.write(data)
            total_bytes += len(data)
            p = j // args.images_per_prompt
            prompt = f"{SUBJECTS[p % len(SUBJECTS)]}, {STYLES[(p // len(SUBJECTS)) % len(STYLES)]}, take {p}"
            jobs_file.write(json.dumps({"jobId": f"gpu-{j:05d}", "image": {"path": name}, "prompt": prompt}) + "\n")

    print(json.dumps({
        "jobs": args.count,
        "distinct_images": distinct,
        "prompts": (args.count + args.images_per_prompt - 1) // args.images_per_prompt,
        "size": args.size,
        "mean_jpeg_bytes": round(total_bytes / args.count),
        "seconds": round(time.perf_counter() - started, 2),
        "out": args.out,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
