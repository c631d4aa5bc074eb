#!/usr/bin/env bash
# GPU throughput, fp32 and fp16: `ipiqa bench model --provider Cuda` (ONNX Runtime CUDA) on the
# RN50-size random-weight bundle at 224 and 512 px, exported twice (fp32, and `--precision fp16`),
# batch sizes 1 to 128, and the reference PyTorch model (bench/python/gpu_model_bench.py: fp32,
# TF32, and `--fp16`, i.e. `.half()`) on the same GPU and the same weights. Model only: pixels and
# text features are random float32 and copied host -> device every batch on every side (the fp16
# sides cast them on the device).
#
#   bench/gpu/run.sh [WORK_DIR]            (default /tmp/ipiqa-gpu)
# Environment: SIZES ("224 512"), BATCHES ("1 2 4 8 16 32 64 128"), ITERATIONS (50), ROUNDS (2),
#   IPIQA / IPIQA_TRAIN: built binaries (the CLI must be built with -p:IpIqaGpu=true); by default
#   both are built here (needs the NuGet packages already restored: the GPU machine may be offline),
#   PYTHON: a python3 whose torch has CUDA (default /usr/bin/python3).
# Writes WORK_DIR/gpu-reports.jsonl (every report, "side" added) and prints the Markdown table.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-/tmp/ipiqa-gpu}"
fixtures="${IPIQA_FIXTURES:-$root/../shared/fixtures}"
sizes="${SIZES:-224 512}"; batches="${BATCHES:-1 2 4 8 16 32 64 128}"
iterations="${ITERATIONS:-50}"; rounds="${ROUNDS:-2}"
py="${PYTHON:-/usr/bin/python3}"
mkdir -p "$work"

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
"$py" -c 'import torch; assert torch.cuda.is_available(), "torch sees no CUDA device"; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())'

ipiqa="${IPIQA:-$root/src/IpIqa.Cli/bin/Release/net10.0/linux-x64/ipiqa}"
ipiqa_train="${IPIQA_TRAIN:-$root/training/IpIqa.Training/bin/Release/net10.0/linux-x64/ipiqa-train}"
[ -n "${IPIQA:-}" ] || dotnet build "$root/src/IpIqa.Cli" -c Release -p:IpIqaGpu=true -v quiet -nologo >/dev/null
[ -n "${IPIQA_TRAIN:-}" ] || dotnet build "$root/training/IpIqa.Training" -c Release -v quiet -nologo >/dev/null

for size in $sizes; do
  [ -f "$work/rn50-$size.safetensors" ] || "$py" "$root/bench/python/make_random_weights.py" --preset rn50 --resolution "$size" --out "$work/rn50-$size"
  [ -f "$work/rn50-$size-bundle/bundle.json" ] || "$ipiqa_train" export --weights "$work/rn50-$size.safetensors" \
    --config "$work/rn50-$size.config.json" --vocab "$fixtures/clip-bpe/bpe_simple_vocab_16e6.txt.gz" --out "$work/rn50-$size-bundle"
  [ -f "$work/rn50-$size-fp16-bundle/bundle.json" ] || "$ipiqa_train" export --weights "$work/rn50-$size.safetensors" \
    --config "$work/rn50-$size.config.json" --vocab "$fixtures/clip-bpe/bpe_simple_vocab_16e6.txt.gz" --out "$work/rn50-$size-fp16-bundle" \
    --precision fp16
done

reports="$work/gpu-reports.jsonl"
: > "$reports"
tag() { "$py" -c 'import json,sys; t=sys.stdin.read(); d=json.loads(t[t.index("{"):t.rindex("}")+1]); d.update(side=sys.argv[1], resolution=int(sys.argv[2])); print(json.dumps(d))' "$@"; }
for _ in $(seq "$rounds"); do
  for size in $sizes; do
    for b in $batches; do
      {
        # --provider Cuda: a CPU fallback is logged and shows as "provider": "CPU" in the report.
        "$ipiqa" bench model --model "$work/rn50-$size-bundle" --provider Cuda --batch-size "$b" --iterations "$iterations" | tag ours "$size"
        "$ipiqa" bench model --model "$work/rn50-$size-fp16-bundle" --provider Cuda --batch-size "$b" --iterations "$iterations" | tag ours-fp16 "$size"
        "$py" "$root/bench/python/gpu_model_bench.py" --weights "$work/rn50-$size.safetensors" --config "$work/rn50-$size.config.json" \
          --batch-size "$b" --iterations "$iterations" | tag pytorch "$size"
        "$py" "$root/bench/python/gpu_model_bench.py" --weights "$work/rn50-$size.safetensors" --config "$work/rn50-$size.config.json" \
          --batch-size "$b" --iterations "$iterations" --tf32 | tag pytorch-tf32 "$size"
        "$py" "$root/bench/python/gpu_model_bench.py" --weights "$work/rn50-$size.safetensors" --config "$work/rn50-$size.config.json" \
          --batch-size "$b" --iterations "$iterations" --fp16 | tag pytorch-fp16 "$size"
      } >> "$reports"
    done
  done
done

"$py" - "$reports" <<'PY'
import json, sys
from collections import defaultdict
best = defaultdict(float)
providers = set()
for line in open(sys.argv[1]):
    r = json.loads(line)
    best[(r["resolution"], r["batch_size"], r["side"])] = max(best[(r["resolution"], r["batch_size"], r["side"])], r["images_per_s"])
    if r["side"].startswith("ours"):
        providers.add(f'{r["provider"]} ({r.get("precision", "fp32")})')
print("ORT provider(s):", ", ".join(sorted(providers)))
print("| size | batch | ours fp32 img/s | ours fp16 img/s | PyTorch fp32 img/s | PyTorch TF32 img/s | PyTorch fp16 img/s "
      "| ours / PyTorch, fp32 | ours / PyTorch, fp16 |")
print("|---|---|---|---|---|---|---|---|---|")
for size, b in sorted({k[:2] for k in best}):
    o, o16, p, t, p16 = (best[(size, b, side)] for side in ("ours", "ours-fp16", "pytorch", "pytorch-tf32", "pytorch-fp16"))
    print(f"| {size} | {b} | {o:.0f} | {o16:.0f} | {p:.0f} | {t:.0f} | {p16:.0f} | {o / p:.2f}x | {o16 / p16:.2f}x |")
PY
