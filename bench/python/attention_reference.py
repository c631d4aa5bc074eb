#!/usr/bin/env -S /usr/bin/python3
"""Writes the text-queried attention pool's weights of the fixture model as a fixture (attention.json).

Runs the tiny reference model (ipiqa.safetensors) on pixels.f32 and the manifest's token ids, captures
the query and keys that TextAttentionPool2d hands its MultiHeadCrossAttention, and recomputes that
module's softmax(q_proj(query) k_proj(key)^T / sqrt(head_dim)) with its own projections. The check that
the recomputation is the module's: its context, through out_proj, must equal the module's output
(text_pooled) within 1e-5, else the script exits 1. The map is the weights on the grid x grid spatial
keys (the mean token, key 0, left out, not renormalised), averaged over the heads: N x grid x grid.
Deterministic: no randomness, float32 on the CPU.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

from ipiqa_ref import fixtures_dir, load_config, load_model

SELF_CHECK_TOLERANCE = 1e-5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", default=fixtures_dir())
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                      "tests", "fixtures", "ipiqa-reference", "attention.json"))
    args = parser.parse_args()
    ref = os.path.join(args.fixtures, "ipiqa-reference")
    manifest_path = os.path.join(ref, "manifest.json")
    if not os.path.isfile(manifest_path):
        print(f"fixture absent: {manifest_path}", file=sys.stderr)
        return 2
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    config = load_config(manifest_path)
    entry = manifest["tensors"]["pixels"]
    pixels = torch.from_numpy(np.fromfile(os.path.join(ref, entry["file"]), dtype="<f4").reshape(entry["shape"]).copy())
    ids = torch.tensor([s["token_ids"] for s in manifest["samples"]], dtype=torch.long)

    torch.set_num_threads(1)
    model = load_model(os.path.join(ref, "ipiqa.safetensors"), config)
    attn = model.txt_attnpool.cross_attn
    captured = {}
    # TextAttentionPool2d calls cross_attn with keyword arguments, which a torch 1.13 forward
    # pre-hook does not see, so the module's forward is wrapped to capture its query and keys.
    forward = attn.forward

    def capture(query, key, value):
        captured.update(query=query, key=key)
        return forward(query=query, key=key, value=value)

    attn.forward = capture
    with torch.no_grad():
        _, _, text_pooled = model.forward_features(pixels, model.encode_text(ids))
        query, key = captured["query"], captured["key"]
        n, heads, head_dim = query.shape[0], attn.num_heads, attn.head_dim
        q = attn.q_proj(query).reshape(n, -1, heads, head_dim).transpose(1, 2)  # N H 1 D
        k = attn.k_proj(key).reshape(n, -1, heads, head_dim).transpose(1, 2)  # N H (1+HW) D
        v = attn.v_proj(key).reshape(n, -1, heads, head_dim).transpose(1, 2)
        weights = F.softmax(torch.matmul(q, k.transpose(-2, -1)) / (head_dim ** 0.5), dim=-1)  # N H 1 (1+HW)
        context = torch.matmul(weights, v).transpose(1, 2).reshape(n, -1, attn.embed_dim)
        recomputed = attn.out_proj(context).squeeze(1)
    self_diff = float((recomputed - text_pooled).abs().max())
    if self_diff >= SELF_CHECK_TOLERANCE:
        print(f"the recomputed weights do not give the module's output: max |diff| {self_diff:.3e}", file=sys.stderr)
        return 1

    grid = config["input_resolution"] // 32
    spatial = weights[:, :, 0, 1:]  # N H HW: the mean token (key 0) left out
    attention = spatial.mean(dim=1).reshape(n, grid, grid)
    fixture = {
        "generated_by": "bench/python/attention_reference.py on ipiqa-reference/ipiqa.safetensors, pixels.f32 and the "
                        "manifest's token ids (torch " + torch.__version__.split("+")[0] + ")",
        "note": "txt_attnpool.cross_attn softmax weights on the spatial keys (mean token left out, not renormalised), "
                "averaged over heads; row-major grid x grid as the ResNet feature map",
        "shape": [n, grid, grid],
        "mean_token_weight": [float(x) for x in weights[:, :, 0, 0].mean(dim=1)],
        "attention": [float(x) for x in attention.reshape(-1)],
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(args.out)}: shape {fixture['shape']}, self-check max |diff| {self_diff:.3e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
