#!/usr/bin/env bash
# GPU throughput: `ipiqa bench model --provider Cuda` (ONNX Runtime CUDA) on the RN50-size
# random-weight bundle at 224 and 512 px, batch sizes 1 to 128, and the reference PyTorch model
# (bench/python/gpu_model_bench.py: strict fp32 and TF32) on the same GPU and the same weights.
# Where `ipiqa-train export` has `--precision`, the fp16 bundle and a `.half()` PyTorch model too;
# where it has `--calibration`, the static-QDQ int8 bundle (calibrated on 16 photo-like PNGs per size).
# The table names the execution provider each side ran on: ONNX Runtime's CUDA provider runs a QDQ
# graph's DequantizeLinear/QuantizeLinear around float kernels, TensorRT fuses them into int8 kernels.
# Model only: pixels and text features are random and copied host -> device every batch on both sides.
# Builds nothing: it takes the commands to run (bench/gpu/device-run.sh passes the kit's).
#
#   bench/gpu/run.sh [WORK_DIR]            (default /tmp/ipiqa-gpu/work)
# Environment:
#   SIZES ("224 512"), BATCHES ("1 2 4 8 16 32 64 128"), ITERATIONS (30 timed batches after 3 warm-up
#   ones), ROUNDS (1; sides alternate within a round, the table keeps each side's best),
#   PRECISIONS ("auto": fp32, fp16 where `ipiqa-train export --help` lists --precision, int8 where it
#   lists --calibration; or any of "fp32 fp16 int8"),
#   PRESET (rn50: make_random_weights.py preset),
#   IPIQA / IPIQA_TRAIN: the `ipiqa` and `ipiqa-train` commands (default: found on PATH),
#   PYTHON (/usr/bin/python3): python3 with torch and numpy, its torch built with CUDA,
#   TORCH_DEVICE (cuda; cpu only for the rehearsal without a GPU), PROVIDER (Cuda),
#   VOCAB (models/demo/bpe_simple_vocab_16e6.txt.gz, the CLIP BPE file),
#   DEADLINE (epoch seconds: a measurement not started by then is skipped and listed as skipped),
#   CMD_TIMEOUT (300 s for one measurement command), PREPARE_ONLY=1 (weights and bundles, then stop).
# Writes WORK_DIR/gpu-reports.jsonl (every report with "side", "resolution", "round" added; a failed
# or skipped measurement is a line with "error"), WORK_DIR/gpu-table.md (also printed) and
# WORK_DIR/bench-stderr.log (what the measurements wrote to stderr). Exit 0 even when measurements
# failed: they are in the reports and under the table. Exit 1 when the weights or bundles cannot be made.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-/tmp/ipiqa-gpu/work}"
sizes="${SIZES:-224 512}"; batches="${BATCHES:-1 2 4 8 16 32 64 128}"
iterations="${ITERATIONS:-30}"; rounds="${ROUNDS:-1}"; preset="${PRESET:-rn50}"
precisions="${PRECISIONS:-auto}"
py="${PYTHON:-/usr/bin/python3}"
torch_device="${TORCH_DEVICE:-cuda}"; provider="${PROVIDER:-Cuda}"
vocab="${VOCAB:-$root/models/demo/bpe_simple_vocab_16e6.txt.gz}"
ipiqa="${IPIQA:-ipiqa}"; ipiqa_train="${IPIQA_TRAIN:-ipiqa-train}"
deadline="${DEADLINE:-0}"; cmd_timeout="${CMD_TIMEOUT:-300}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
reports="$work/gpu-reports.jsonl"; table="$work/gpu-table.md"; errlog="$work/bench-stderr.log"

for cmd in "$ipiqa" "$ipiqa_train" "$py"; do
  command -v "$cmd" >/dev/null || { echo "run.sh: '$cmd' not found (set IPIQA, IPIQA_TRAIN, PYTHON)" >&2; exit 2; }
done
[ -f "$vocab" ] || { echo "run.sh: vocabulary '$vocab' not found (set VOCAB)" >&2; exit 2; }
case "$torch_device" in cuda | cpu) ;; *) echo "run.sh: TORCH_DEVICE must be cuda or cpu" >&2; exit 2 ;; esac

t0=$SECONDS
say() { echo "[run.sh $((SECONDS - t0))s] $*"; }

if [ "$torch_device" = cuda ]; then
  ! command -v nvidia-smi >/dev/null || nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  "$py" -c 'import torch; assert torch.cuda.is_available(), "torch sees no CUDA device"; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version(), torch.cuda.get_device_name(0))'
fi

if [ "$precisions" = auto ]; then
  precisions=fp32
  help="$("$ipiqa_train" export --help 2>/dev/null || true)"
  if grep -q -- '--precision' <<<"$help"; then precisions="fp32 fp16"; fi
  if grep -q -- '--calibration' <<<"$help"; then precisions="$precisions int8"; fi
fi
say "sizes: $sizes; batches: $batches; iterations: $iterations; rounds: $rounds; precisions: $precisions; torch on $torch_device; ORT provider asked: $provider"

# ---- weights (one process per size, in parallel) and bundles --------------------------------
started=$SECONDS
pids=()
for size in $sizes; do
  if [ ! -f "$work/$preset-$size.safetensors" ]; then
    "$py" "$root/bench/python/make_random_weights.py" --preset "$preset" --resolution "$size" --out "$work/$preset-$size" \
      > "$work/weights-$size.log" 2>&1 &
    pids+=("$!")
  fi
done
for pid in "${pids[@]}"; do
  wait "$pid" || { cat "$work"/weights-*.log >&2; echo "run.sh: make_random_weights.py failed" >&2; exit 1; }
done
say "weights ready in $((SECONDS - started)) s"
started=$SECONDS
for size in $sizes; do
  for precision in $precisions; do
    bundle="$work/$preset-$size-bundle"; extra=()
    if [ "$precision" != fp32 ]; then bundle="$work/$preset-$size-$precision-bundle"; extra=(--precision "$precision"); fi
    if [ "$precision" = int8 ]; then
      calibration="$work/calibration-$size"
      [ -f "$calibration/manifest.jsonl" ] || "$py" "$root/bench/make_images.py" --out "$calibration" --count 16 --size "$size" \
        --format png --seed 20242 > "$work/calibration-$size.log" 2>&1 \
        || { cat "$work/calibration-$size.log" >&2; echo "run.sh: calibration images for $size px failed" >&2; exit 1; }
      extra+=(--calibration "$calibration")
    fi
    [ -f "$bundle/bundle.json" ] || "$ipiqa_train" export --weights "$work/$preset-$size.safetensors" \
      --config "$work/$preset-$size.config.json" --vocab "$vocab" --out "$bundle" --name "$preset-random-$size" --version 1.0.0 \
      "${extra[@]}" > "$work/export-$size-$precision.log" 2>&1 \
      || { cat "$work/export-$size-$precision.log" >&2; echo "run.sh: export of $bundle failed" >&2; exit 1; }
  done
done
say "bundles ready in $((SECONDS - started)) s"
[ "${PREPARE_ONLY:-0}" != 1 ] || exit 0

# ---- measurements ---------------------------------------------------------------------------
: > "$reports"
: > "$errlog"
# measure SIDE SIZE ROUND BATCHES -- COMMAND...: runs one command (unless past the deadline) and
# appends its JSON report lines, tagged, to the reports; a failure or skip becomes an "error" line.
measure() {
  local side="$1" size="$2" round="$3" batch_list="$4"; shift 5
  local out="$work/.measure.out" status=0 error=""
  if [ "$deadline" -gt 0 ] && [ "$(date +%s)" -ge "$deadline" ]; then
    error="skipped: past the deadline"
  else
    echo "### $side $size px, batches $batch_list, round $round: $*" >> "$errlog"
    timeout "$cmd_timeout" "$@" > "$out" 2>> "$errlog" || status=$?
    [ "$status" -eq 0 ] || error="exit $status$([ "$status" -ne 124 ] || echo " (timed out after $cmd_timeout s)")"
  fi
  [ -f "$out" ] || : > "$out"
  "$py" - "$out" "$side" "$size" "$round" "$batch_list" "$error" >> "$reports" <<'PY'
import json, sys
path, side, size, rnd, batch_list, error = sys.argv[1:]
text = open(path, encoding="utf-8", errors="replace").read()
decoder, seen, at = json.JSONDecoder(), set(), 0
# Every JSON object in the output, one per line (python) or indented (ipiqa), in order.
while (at := text.find("{", at)) >= 0:
    try:
        report, end = decoder.raw_decode(text, at)
    except ValueError:
        at += 1
        continue
    at = end
    if isinstance(report, dict) and "images_per_s" in report:
        report.update(side=side, resolution=int(size), round=int(rnd))
        seen.add(report.get("batch_size"))
        print(json.dumps(report))
if error:
    for b in batch_list.split():
        if int(b) not in seen:
            print(json.dumps({"side": side, "resolution": int(size), "round": int(rnd), "batch_size": int(b), "error": error}))
PY
  rm -f "$out"
  [ -z "$error" ] || say "$side $size px batches $batch_list: $error"
}

ours() {  # ours SIDE BUNDLE SIZE ROUND
  for b in $batches; do
    measure "$1" "$3" "$4" "$b" -- "$ipiqa" bench model --model "$2" --provider "$provider" --batch-size "$b" --iterations "$iterations"
  done
}
reference() {  # reference SIDE SIZE ROUND [gpu_model_bench.py options]
  local side="$1" size="$2" round="$3"; shift 3
  # shellcheck disable=SC2086 # the batch list is one word per batch size
  measure "$side" "$size" "$round" "$batches" -- "$py" "$root/bench/python/gpu_model_bench.py" --device "$torch_device" \
    --weights "$work/$preset-$size.safetensors" --config "$work/$preset-$size.config.json" \
    --batch-size $batches --iterations "$iterations" "$@"
}

for round in $(seq "$rounds"); do
  for size in $sizes; do
    started=$SECONDS
    ours ours "$work/$preset-$size-bundle" "$size" "$round"
    reference pytorch "$size" "$round"
    reference pytorch-tf32 "$size" "$round" --tf32
    if [[ " $precisions " == *" fp16 "* ]]; then
      ours ours-fp16 "$work/$preset-$size-fp16-bundle" "$size" "$round"
      # Half-precision convolutions need the GPU; on the CPU rehearsal this side is left out.
      [ "$torch_device" = cpu ] || reference pytorch-fp16 "$size" "$round" --fp16
    fi
    if [[ " $precisions " == *" int8 "* ]]; then
      ours ours-int8 "$work/$preset-$size-int8-bundle" "$size" "$round"
    fi
    say "round $round, $size px measured in $((SECONDS - started)) s"
  done
done

"$py" - "$reports" "$provider" > "$table" <<'PY'
import json, sys
from collections import defaultdict
reports, asked = sys.argv[1], sys.argv[2]
best, providers, devices, errors = defaultdict(float), defaultdict(set), set(), []
for line in open(reports, encoding="utf-8"):
    r = json.loads(line)
    key = (r["resolution"], r["batch_size"], r["side"])
    if "error" in r:
        errors.append(f'{r["side"]} {r["resolution"]} px batch {r["batch_size"]} round {r["round"]}: {r["error"]}')
        best.setdefault(key, 0.0)
        continue
    best[key] = max(best[key], r["images_per_s"])
    if r["side"].startswith("ours"):
        providers[r["provider"]].add(r["side"])
    else:
        devices.add(f'{r.get("device", "?")} (torch {r.get("torch", "?")})')
sides = {k[2] for k in best}
columns = [("ours", "ours ORT fp32 img/s"), ("pytorch", "PyTorch fp32 img/s"), ("pytorch-tf32", "PyTorch TF32 img/s")]
ratios = [("ours", "pytorch", "ours / PyTorch fp32")]
if "ours-fp16" in sides or "pytorch-fp16" in sides:
    columns += [("ours-fp16", "ours ORT fp16 img/s"), ("pytorch-fp16", "PyTorch fp16 img/s")]
    ratios += [("ours-fp16", "pytorch-fp16", "ours / PyTorch fp16")]
if "ours-int8" in sides:
    columns += [("ours-int8", "ours ORT int8 (QDQ) img/s")]
    ratios += [("ours-int8", "ours", "ours int8 / ours fp32")]
print("ONNX Runtime provider(s): " + (", ".join(f"{p} ({', '.join(sorted(s))})" for p, s in sorted(providers.items())) or "none measured"))
int8 = sorted(p for p, s in providers.items() if "ours-int8" in s)
if "ours-int8" in sides:
    print("int8 (QDQ) graph ran on: " + (", ".join(int8) or "none measured")
          + " (CUDA: QuantizeLinear/DequantizeLinear around float kernels; TensorRT would fuse int8 kernels; CPU: QLinearConv)")
print("PyTorch device(s): " + (", ".join(sorted(devices)) or "none measured"))
if asked.lower() == "cuda" and any(p.upper() != "CUDA" for p in providers):
    print(f"WARNING: ONNX Runtime was asked for CUDA but ran on {', '.join(sorted(p for p in providers if p.upper() != 'CUDA'))} "
          "for some sides: those figures are not GPU figures (the CUDA provider did not load; see bench-stderr.log)")
print()
print("| size | batch | " + " | ".join(c[1] for c in columns) + " | " + " | ".join(r[2] for r in ratios) + " |")
print("|" + "---|" * (2 + len(columns) + len(ratios)))
def cell(v):
    return f"{v:.1f}" if 0 < v < 100 else (f"{v:.0f}" if v else "–")
for size, b in sorted({k[:2] for k in best}):
    values = [best.get((size, b, side), 0.0) for side, _ in columns]
    rs = []
    for a, c, _ in ratios:
        x, y = best.get((size, b, a), 0.0), best.get((size, b, c), 0.0)
        rs.append(f"{x / y:.2f}x" if x and y else "–")
    print(f"| {size} | {b} | " + " | ".join(cell(v) for v in values) + " | " + " | ".join(rs) + " |")
if errors:
    print()
    print(f"{len(errors)} measurement(s) missing:")
    for e in errors:
        print(f"- {e}")
PY
cat "$table"
say "done"
