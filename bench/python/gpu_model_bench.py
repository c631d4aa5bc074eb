#!/usr/bin/python3
"""Model-only throughput of the reference IP-IQA model on a CUDA GPU, in fp32 or fp16.

The counterpart of `ipiqa bench model --provider Cuda`: random pixels and text features of a batch, copied to the
device each batch (as ONNX Runtime copies the bound host buffers), image tower + pools + head.

With --fp16 the model is `.half()` (float16 weights and activations) and the float32 inputs are cast
to float16 on the device after the copy, which is what an `ipiqa-train export --precision fp16`
bundle does (its graph casts its float32 inputs, and its scores back to float32).

  bench/python/gpu_model_bench.py --weights W.safetensors --config W.config.json --batch-size 1 8 32 [--tf32 | --fp16]
Prints one JSON object per batch size (images, images_per_s, ms_per_image, batch_size, resolution, tf32,
precision, device), in one process so that torch starts and the weights load once.
--device cpu runs the same measurement on the CPU (the kit's rehearsal on a machine without a GPU).
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
    parser.add_argument("--batch-size", type=int, nargs="+", default=[1], help="one or more batch sizes, measured in order")
    parser.add_argument("--iterations", type=int, default=20, help="timed batches after 3 warm-up batches")
    parser.add_argument("--tf32", action="store_true", help="allow TF32 in matmul and cuDNN (off: strict fp32)")
    parser.add_argument("--fp16", action="store_true",
                        help="float16 model (.half()) with float32 inputs cast on the device, like an fp16 bundle; --tf32 then changes nothing")
    parser.add_argument("--device", choices=["cuda", "cpu"], default="cuda", help="cpu: for a rehearsal without a GPU")
    args = parser.parse_args(argv)
    if min(args.batch_size) < 1 or args.iterations < 1:
        parser.error("--batch-size and --iterations must be at least 1")

    import torch

    from ipiqa_ref import load_config, load_model

    cuda = args.device == "cuda"
    if cuda and not torch.cuda.is_available():
        print("error: this torch sees no CUDA device", file=sys.stderr)
        return 2
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = args.tf32
        torch.backends.cudnn.allow_tf32 = args.tf32
        torch.backends.cudnn.benchmark = True
    config = load_config(args.config)
    dtype = torch.float16 if args.fp16 else torch.float32
    device = torch.device(args.device)
    model = load_model(args.weights, config).to(device=device, dtype=dtype).eval()
    size = config["input_resolution"]
    name = torch.cuda.get_device_name(0) if cuda else "cpu"
    synchronize = torch.cuda.synchronize if cuda else (lambda: None)

    for batch_size in args.batch_size:
        generator = torch.Generator().manual_seed(1234)
        pixels = torch.rand(batch_size, 3, size, size, generator=generator)
        text = torch.rand(batch_size, config["embed_dim"], generator=generator)
        if cuda:
            pixels, text = pixels.pin_memory(), text.pin_memory()

        def step():
            with torch.no_grad():
                on_device = (pixels.to(device, non_blocking=True).to(dtype), text.to(device, non_blocking=True).to(dtype))
                return model.forward_features(*on_device)[0].float().cpu()

        for _ in range(3):
            step()
        synchronize()
        started = time.perf_counter()
        for _ in range(args.iterations):
            step()
        synchronize()
        seconds = time.perf_counter() - started
        images = batch_size * args.iterations
        print(json.dumps({
            "bench": "model-python-reference",
            "device": name,
            "images": images,
            "images_per_s": round(images / seconds, 3),
            "ms_per_image": round(seconds * 1000.0 / images, 3),
            "batch_size": batch_size,
            "resolution": size,
            "tf32": args.tf32,
            "precision": "fp16" if args.fp16 else "fp32",
            "seconds": round(seconds, 4),
            "torch": torch.__version__,
        }), flush=True)
        del pixels, text
        if cuda:
            torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main(sys.argv[1:]))
