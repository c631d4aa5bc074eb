#!/usr/bin/python3
"""Model-only throughput of the reference IP-IQA model on a CUDA GPU, in fp32 or fp16.

The counterpart of `ipiqa bench model --provider Cuda`: random pixels and text features of a batch, copied to the
device each batch (as ONNX Runtime copies the bound host buffers), image tower + pools + head.

With --fp16 the model is `.half()` (float16 weights and activations) and the float32 inputs are cast
to float16 on the device after the copy, which is what an `ipiqa-train export --precision fp16`
bundle does (its graph casts its float32 inputs, and its scores back to float32).

  bench/python/gpu_model_bench.py --weights W.safetensors --config W.config.json --batch-size 32 [--fp16]
Prints one JSON object with images, images_per_s, ms_per_image, batch_size, resolution, tf32, precision.
"""
import argparse
import json
import os
import sys
import time


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=20, help="timed batches after 3 warm-up batches")
    parser.add_argument("--tf32", action="store_true", help="allow TF32 in matmul and cuDNN (off: strict fp32)")
    parser.add_argument("--fp16", action="store_true",
                        help="float16 model (.half()) with float32 inputs cast on the device, like an fp16 bundle; --tf32 then changes nothing")
    args = parser.parse_args(argv)
    if args.batch_size < 1 or args.iterations < 1:
        parser.error("--batch-size and --iterations must be at least 1")

    import torch

    from ipiqa_ref import load_config, load_model

    if not torch.cuda.is_available():
        print("error: this torch sees no CUDA device", file=sys.stderr)
        return 2
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.backends.cudnn.benchmark = True
    config = load_config(args.config)
    model = load_model(args.weights, config).cuda().eval()
    dtype = torch.float16 if args.fp16 else torch.float32
    model = model.to(dtype)
    size = config["input_resolution"]
    generator = torch.Generator().manual_seed(1234)
    pixels = torch.rand(args.batch_size, 3, size, size, generator=generator).pin_memory()
    text = torch.rand(args.batch_size, config["embed_dim"], generator=generator).pin_memory()

    def step():
        with torch.no_grad():
            scores = model.forward_features(pixels.cuda(non_blocking=True).to(dtype), text.cuda(non_blocking=True).to(dtype))[0]
            return scores.float().cpu()

    for _ in range(3):
        step()
    torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(args.iterations):
        step()
    torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    images = args.batch_size * args.iterations
    print(json.dumps({
        "bench": "model-python-reference",
        "device": torch.cuda.get_device_name(0),
        "images": images,
        "images_per_s": round(images / seconds, 3),
        "ms_per_image": round(seconds * 1000.0 / images, 3),
        "batch_size": args.batch_size,
        "resolution": size,
        "tf32": args.tf32,
        "precision": "fp16" if args.fp16 else "fp32",
        "seconds": round(seconds, 4),
        "torch": torch.__version__,
    }))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main(sys.argv[1:]))
