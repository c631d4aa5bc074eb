#!/usr/bin/env bash
# GPU throughput, fp32: `ipiqa bench model --provider Cuda` (ONNX Runtime CUDA) on the RN50-size
# random-weight bundle at 224 and 512 px, batch sizes 1 to 128, and the reference PyTorch model
# (bench/python/gpu_model_bench.py) on the same GPU and the same weights. Model only: pixels and
# text features are random and copied host -> device every batch on both sides.
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
done

reports="$work/gpu-reports.jsonl"
: > "$reports"
tag() { "$py" -c 'import json,sys; t=sys.stdin.read(); d=json.loads(t[t.index("{"):t.rindex("}")+1]); d.update(side=sys.argv[1], resolution=int(sys.argv[2])); print(json.dumps(d))' "$@"; }
for round in $(seq "$rounds"); do
  for size in $sizes; do
    for b in $batches; do
      # --provider Cuda: a CPU fallback is logged and shows as "provider": "CPU" in the report.
      "$ipiqa" bench model --model "$work/rn50-$size-bundle" --provider Cuda --batch-size "$b" --iterations "$iterations" | tag ours "$size" >> "$reports"
      "$py" "$root/bench/python/gpu_model_bench.py" --weights "$work/rn50-$size.safetensors" --config "$work/rn50-$size.config.json" \
        --batch-size "$b" --iterations "$iterations" | tag pytorch "$size" >> "$reports"
      "$py" "$root/bench/python/gpu_model_bench.py" --weights "$work/rn50-$size.safetensors" --config "$work/rn50-$size.config.json" \
        --batch-size "$b" --iterations "$iterations" --tf32 | tag pytorch-tf32 "$size" >> "$reports"
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
    if r["side"] == "ours":
        providers.add(r["provider"])
print("ORT provider(s):", ", ".join(sorted(providers)))
print("| size | batch | ours ORT CUDA img/s | PyTorch fp32 img/s | PyTorch TF32 img/s | ours / PyTorch fp32 |")
print("|---|---|---|---|---|---|")
for size, b in sorted({k[:2] for k in best}):
    o, p, t = best[(size, b, "ours")], best[(size, b, "pytorch")], best[(size, b, "pytorch-tf32")]
    print(f"| {size} | {b} | {o:.0f} | {p:.0f} | {t:.0f} | {o / p:.2f}x |")
PY
