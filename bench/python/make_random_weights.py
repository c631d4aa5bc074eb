#!/usr/bin/env -S /usr/bin/python3
"""Writes a seeded random-weight IP-IQA checkpoint (.safetensors, official key names) and its config.

Presets: rn50 (OpenAI RN50 dimensions, 224 px, MLP head as in the official 224 configs) and
tiny (the fixture model's dimensions at 224 px). Weights follow CLIP's initialisation scales;
BatchNorm affine parameters are random and the running statistics are measured on a seeded
batch of smooth random images, then jittered, so every layer matters and activations stay O(1).

  make_random_weights.py --preset rn50 --out /tmp/ipiqa-rn50   # writes /tmp/ipiqa-rn50.safetensors + .config.json
"""

import argparse
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ipiqa_ref import IPIQA, load_model, validate_config
from safetensors_io import write_safetensors

PRESETS = {
    "rn50": {"embed_dim": 1024, "vision_layers": [3, 4, 6, 3], "vision_width": 64, "transformer_width": 512,
             "transformer_heads": 8, "transformer_layers": 12, "input_resolution": 224, "txt_pool_heads": 32,
             "context_length": 77, "vocab_size": 49408, "output_dim": 2, "head": "mlp"},
    "tiny": {"embed_dim": 64, "vision_layers": [1, 1, 1, 1], "vision_width": 8, "transformer_width": 32,
             "transformer_heads": 2, "transformer_layers": 2, "input_resolution": 224, "txt_pool_heads": 4,
             "context_length": 77, "vocab_size": 49408, "output_dim": 2, "head": "mlp"},
}


def randomise(model, generator):
    def normal(t, std, mean=0.0):
        with torch.no_grad():
            t.copy_(torch.randn(t.shape, generator=generator) * std + mean)

    def uniform(t, low, high):
        with torch.no_grad():
            t.copy_(torch.rand(t.shape, generator=generator) * (high - low) + low)

    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            fan_in = module.weight[0].numel()
            normal(module.weight, math.sqrt(2.0 / fan_in))
        elif isinstance(module, nn.BatchNorm2d):
            uniform(module.weight, 0.5, 1.5)
            normal(module.bias, 0.1)
        elif isinstance(module, nn.Linear):
            normal(module.weight, module.in_features ** -0.5)
            normal(module.bias, 0.02)
        elif isinstance(module, nn.LayerNorm):
            normal(module.weight, 0.1, 1.0)
            normal(module.bias, 0.05)
        elif isinstance(module, nn.MultiheadAttention):
            normal(module.in_proj_weight, module.embed_dim ** -0.5)
            normal(module.in_proj_bias, 0.02)
    for pool in (model.attnpool, model.txt_attnpool):
        normal(pool.positional_embedding, pool.positional_embedding.shape[1] ** -0.5)
    normal(model.wte.weight, 0.02)
    normal(model.txt_pos, 0.01)
    normal(model.text_projection, model.text_projection.shape[0] ** -0.5)


def smooth_images(count, size, generator):
    """Normalised-looking inputs: low-frequency noise upsampled, roughly zero mean and unit variance."""
    coarse = torch.randn(count, 3, size // 16, size // 16, generator=generator)
    fine = torch.randn(count, 3, size, size, generator=generator)
    return F.interpolate(coarse, size=(size, size), mode="bilinear", align_corners=False) + 0.3 * fine


def calibrate_batchnorm(model, images, generator):
    """Sets running statistics to those measured on the images, then jitters them."""
    bns = [m for m in model.resnet50.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average
    model.resnet50.train()
    with torch.no_grad():
        model.resnet50(images)
        for bn in bns:
            bn.momentum = 0.1
            std = bn.running_var.sqrt()
            bn.running_mean += torch.randn(bn.running_mean.shape, generator=generator) * 0.1 * std
            bn.running_var *= torch.rand(bn.running_var.shape, generator=generator) * 0.4 + 0.8
    model.resnet50.eval()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="rn50")
    parser.add_argument("--resolution", type=int, help="input_resolution (default: the preset's 224)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", required=True, help="output path without extension")
    args = parser.parse_args()

    config = dict(PRESETS[args.preset])
    if args.resolution:
        config["input_resolution"] = args.resolution
    validate_config(config, f"preset {args.preset}")
    torch.set_num_threads(1)  # the same reduction order on every machine
    generator = torch.Generator().manual_seed(args.seed)
    model = IPIQA(config)
    randomise(model, generator)
    calibrate_batchnorm(model, smooth_images(8, config["input_resolution"], generator), generator)
    model.eval()

    with torch.no_grad():
        images = smooth_images(4, config["input_resolution"], generator)
        ids = torch.zeros(4, config["context_length"], dtype=torch.long)
        ids[:, 0] = config["vocab_size"] - 2
        ids[:, 1:6] = torch.randint(1, config["vocab_size"] - 2, (4, 5), generator=generator)
        ids[:, 6] = config["vocab_size"] - 1
        feat = model.resnet50(images)
        scores = model(images, ids)
    if not torch.isfinite(scores).all():
        print("generated weights give non-finite scores", file=sys.stderr)
        return 1

    state = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    metadata = {"format": "pt", "generator": "bench/python/make_random_weights.py", "preset": args.preset,
                "seed": str(args.seed), "config": json.dumps(config)}
    write_safetensors(args.out + ".safetensors", state, metadata)
    with open(args.out + ".config.json", "w", encoding="utf-8") as f:
        json.dump(config, f, indent=1)
        f.write("\n")
    reloaded = load_model(args.out + ".safetensors", config)
    with torch.no_grad():
        reloaded_scores = reloaded(images, ids)
    if not torch.equal(reloaded_scores, scores):
        print("the written checkpoint does not reproduce the generated model's scores", file=sys.stderr)
        return 1
    params = sum(int(np.prod(v.shape)) for k, v in state.items() if not k.endswith("num_batches_tracked"))
    print(json.dumps({"weights": args.out + ".safetensors", "config": args.out + ".config.json",
                      "tensors": len(state), "parameters": params,
                      "feature_map_std": round(float(feat.std()), 4), "scores": scores.tolist()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
