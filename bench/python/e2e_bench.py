#!/usr/bin/env -S /usr/bin/python3
"""End-to-end CPU throughput of the official IP-IQA eval path (PIL + torchvision + torch eager).

Per image: PIL open -> convert("RGB") -> Resize((S,S), BICUBIC) -> ToTensor -> Normalize(CLIP).
Per batch: the prompts are tokenized with CLIP BPE and encoded by the text tower inside the
model call, as the official forward does, then image tower, both attention pools and head,
under torch.no_grad() and eval(). --cache-text keeps text features per prompt instead (what
the worker does). Input: a folder of images with same-named .txt prompts, or a .jsonl manifest
of {"image", "prompt"} (the inputs `ipiqa bench e2e` reads). Prints one JSON object;
stage_ms values are milliseconds per image.
"""

import argparse
import json
import os
import sys

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", required=True, help=".safetensors or .pt state dict with the official key names")
    parser.add_argument("--config", required=True, help="config JSON (manifest field names) or a fixture manifest.json")
    parser.add_argument("--input", required=True, help="folder of images + .txt prompts, or a .jsonl manifest")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1, help="untimed passes over the input first (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes over the input (default 1)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N inputs (0: all)")
    parser.add_argument("--cache-text", action="store_true", help="encode each distinct prompt once and reuse it")
    args = parser.parse_args(argv)
    for name in ("threads", "batch_size", "repeat"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} {getattr(args, name)} must be at least 1")
    if args.warmup < 0 or args.limit < 0:
        parser.error("--warmup and --limit must not be negative")
    return args


def read_inputs(path):
    """Returns [(image path, prompt)]; raises ValueError naming the file and line of a bad entry."""
    if os.path.isdir(path):
        items = []
        for name in sorted(os.listdir(path)):
            if os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS:
                prompt_path = os.path.join(path, os.path.splitext(name)[0] + ".txt")
                if not os.path.isfile(prompt_path):
                    raise ValueError(f"no prompt for '{name}': '{os.path.basename(prompt_path)}' does not exist")
                with open(prompt_path, encoding="utf-8") as f:
                    items.append((os.path.join(path, name), f.read().strip()))
        return items
    if not os.path.isfile(path) or not path.endswith(".jsonl"):
        raise ValueError(f"input '{path}' is neither a folder nor a .jsonl manifest")
    base = os.path.dirname(os.path.abspath(path))
    items = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path} line {number}: not valid JSON ({e})") from e
            if not isinstance(entry, dict) or not isinstance(entry.get("image"), str) or not isinstance(entry.get("prompt"), str):
                raise ValueError(f"{path} line {number}: expected an object with string fields 'image' and 'prompt'")
            items.append((os.path.join(base, entry["image"]), entry["prompt"]))
    return items


def main(argv):
    args = parse_args(argv)
    # OpenBLAS (torch's BLAS here) keeps its own pool; torch.set_num_threads does not size it.
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import time

    import torch
    from PIL import Image

    from ipiqa_ref import ConfigError, default_tokenizer, eval_transform, load_config, load_model
    from safetensors_io import SafetensorsError

    torch.set_num_threads(args.threads)
    try:
        items = read_inputs(args.input)
        config = load_config(args.config)
        model = load_model(args.weights, config, default_tokenizer())
    except (ValueError, OSError, ConfigError, SafetensorsError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.limit:
        items = items[:args.limit]
    if not items:
        print(f"error: '{args.input}' holds no image with a prompt", file=sys.stderr)
        return 2
    transform = eval_transform(config["input_resolution"])
    cache = {}

    def encode_text(prompts):
        if not args.cache_text:
            return model.encode_text(list(prompts))  # tokenized inside, as the official forward
        missing = [p for p in dict.fromkeys(prompts) if p not in cache]
        if missing:
            for prompt, feature in zip(missing, model.encode_text(missing)):
                cache[prompt] = feature
        return torch.stack([cache[p] for p in prompts])

    def load(path):
        try:
            with Image.open(path) as image:
                return transform(image.convert("RGB"))
        except (OSError, ValueError, Image.DecompressionBombError) as e:
            raise ValueError(f"image '{path}' cannot be decoded: {e}") from e

    def run_pass(timings):
        scores = []
        for start in range(0, len(items), args.batch_size):
            batch = items[start:start + args.batch_size]
            t0 = time.perf_counter()
            pixels = torch.stack([load(path) for path, _ in batch])
            t1 = time.perf_counter()
            with torch.no_grad():
                text = encode_text([prompt for _, prompt in batch])
                t2 = time.perf_counter()
                scores.append(model.forward_features(pixels, text)[0])
            t3 = time.perf_counter()
            timings["preprocess"] += t1 - t0
            timings["text"] += t2 - t1
            timings["image_and_head"] += t3 - t2
        return torch.cat(scores)

    try:
        for _ in range(args.warmup):
            run_pass({"preprocess": 0.0, "text": 0.0, "image_and_head": 0.0})
        timings = {"preprocess": 0.0, "text": 0.0, "image_and_head": 0.0}
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(args.repeat):
            scores = run_pass(timings)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if not torch.isfinite(scores).all():
        print("error: the model produced non-finite scores", file=sys.stderr)
        return 1
    images = len(items) * args.repeat
    per_image = lambda s: round(s * 1000.0 / images, 3)
    print(json.dumps({
        "bench": "e2e-python-reference",
        "images": images,
        "images_per_s": round(images / seconds, 3),
        "ms_per_image": per_image(seconds),
        "threads": args.threads,
        "batch_size": args.batch_size,
        "stage_ms": {"preprocess": per_image(timings["preprocess"]),
                     "model": per_image(timings["text"] + timings["image_and_head"]),
                     "text": per_image(timings["text"]),
                     "image_and_head": per_image(timings["image_and_head"])},
        "cache_text": args.cache_text,
        "distinct_prompts": len({p for _, p in items}),
        "resolution": config["input_resolution"],
        "seconds": round(seconds, 3),
        "process_cpu_s": round(cpu_seconds, 3),  # all threads; on a busy machine compare with seconds * threads
        "load_average": round(os.getloadavg()[0], 2),
        "warmup_passes": args.warmup,
        "repeat": args.repeat,
        "torch": torch.__version__,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
