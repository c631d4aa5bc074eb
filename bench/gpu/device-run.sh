#!/usr/bin/env bash
# Runs on the offline GPU machine as the last device call (bench/gpu/README.md): verifies the kit's
# parts that bench/gpu/pack.sh made and the earlier calls moved to $IPIQA_GPU_HOME/parts, unpacks
# them to $IPIQA_GPU_HOME/kit (the dotnet host, ipiqa-worker, ipiqa, ipiqa-train), points the
# environment at the kit and at the CUDA/cuDNN libraries of the python venv's nvidia wheels, then:
#   1. random-weight RN50 checkpoints at each size and their bundles (`ipiqa-train export`),
#   2. the worker: ipiqa-worker, local transport, --drain, CUDA asked for, on N generated JPEGs,
#   3. bench/gpu/run.sh: ONNX Runtime CUDA against PyTorch on the same GPU and weights,
# and writes at most 8 files under $OUT: summary.md, device-run.log, env.txt, gpu-reports.jsonl,
# bench-stderr.log, worker.log, worker-report.json, worker-results.jsonl. Each step prints its time.
#
#   bash bench/gpu/device-run.sh            the whole run (about 6-8 minutes on one H100)
#   bash bench/gpu/device-run.sh --probe    only what the machine has: GPU, driver, python, torch,
#                                           CUDA libraries, glibc, OpenSSL, xz (a few seconds)
# Environment (defaults in brackets):
#   IPIQA_GPU_HOME [/tmp/ipiqa-gpu]  parts/ in, kit/ and work/ out; OUT [$IPIQA_GPU_HOME/out]
#   PYTHON [/opt/torch/.venv/bin/python3]  python with torch (CUDA), numpy, Pillow
#   DEADLINE_S [470]  seconds after the start when run.sh starts no new measurement (the summary
#                     still gets written); the call's own limit should leave a minute beyond it
#   SIZES, BATCHES, ITERATIONS, ROUNDS, PRECISIONS, CMD_TIMEOUT: passed to run.sh (see there)
#   WORKER_IMAGES [2000], WORKER_IMAGE_SIZE [1024], WORKER_DISTINCT [64] different images drawn,
#   WORKER_IMAGES_PER_PROMPT [4], WORKER_MODEL_SIZE [224] (bundle size), WORKER_BATCH [32]
#   (IpIqa:Batching:MaxBatchSize), WORKER_CODECS [auto: the machine's libjpeg-turbo/libwebp, else
#   the kit's copies; system: the machine's only, so ImageSharp decodes where it has none, as in
#   an image without those libraries], WORKER_TIMEOUT [300]
#   UNPACK_WITH [auto: xz and tar, or python's lzma and tarfile when either is missing; python]
#   IPIQA_GPU_REHEARSAL=1  the CPU rehearsal (bench/gpu/rehearse.sh): torch on the CPU with
#                          /usr/bin/python3, tiny sizes, few images, no nvidia-smi; ONNX Runtime is
#                          still asked for CUDA, so its fallback to CPU is exercised and reported.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
home="${IPIQA_GPU_HOME:-/tmp/ipiqa-gpu}"
rehearsal="${IPIQA_GPU_REHEARSAL:-0}"
mode=run
case "${1:-}" in
  --probe) mode=probe ;;
  "") ;;
  *) echo "usage: bash bench/gpu/device-run.sh [--probe]" >&2; exit 2 ;;
esac

if [ "$rehearsal" = 1 ]; then
  py="${PYTHON:-/usr/bin/python3}"
  : "${SIZES:=64}" "${BATCHES:=1 2}" "${ITERATIONS:=2}" "${ROUNDS:=1}" "${DEADLINE_S:=1500}"
  export BATCHES ITERATIONS ROUNDS  # for run.sh
  : "${WORKER_IMAGES:=24}" "${WORKER_IMAGE_SIZE:=256}" "${WORKER_DISTINCT:=4}" "${WORKER_MODEL_SIZE:=64}" "${WORKER_BATCH:=8}"
  torch_device=cpu
else
  py="${PYTHON:-/opt/torch/.venv/bin/python3}"
  [ -x "$py" ] || py="$(command -v python3 || echo python3)"
  torch_device=cuda
fi
sizes="${SIZES:-224 512}"
deadline_s="${DEADLINE_S:-470}"
worker_images="${WORKER_IMAGES:-2000}"; worker_image_size="${WORKER_IMAGE_SIZE:-1024}"
worker_distinct="${WORKER_DISTINCT:-64}"; worker_per_prompt="${WORKER_IMAGES_PER_PROMPT:-4}"
worker_model_size="${WORKER_MODEL_SIZE:-224}"; worker_batch="${WORKER_BATCH:-32}"
worker_codecs="${WORKER_CODECS:-auto}"; worker_timeout="${WORKER_TIMEOUT:-300}"
unpack_with="${UNPACK_WITH:-auto}"
parts="$home/parts"; kit="$home/kit"; work="$home/work"
name=ipiqa-gpu-kit
started_at=$(date +%s)

# Every lib folder of the venv's nvidia-* wheels (CUDA runtime, cuBLAS, cuRAND, cuDNN, ...).
nvidia_lib_dirs() {
  "$py" - <<'PY' 2>/dev/null || true
import os
try:
    import nvidia
except ImportError:
    raise SystemExit(0)
dirs = set()
for base in list(nvidia.__path__):
    for folder, _, files in os.walk(base):
        if any(f.endswith(".so") or ".so." in f for f in files):
            dirs.add(folder)
print(":".join(sorted(dirs)))
PY
}
# Whether the dynamic loader finds a library by soname without the kit's help.
system_has() { "$py" -c 'import ctypes, sys; ctypes.CDLL(sys.argv[1])' "$1" 2>/dev/null; }

probe() {
  echo "host: $(uname -srm), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory, $(df -h /tmp | awk 'NR == 2 {print $4}') free in /tmp"
  echo "glibc: $(ldd --version 2>&1 | head -n 1)"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader || true
  else
    echo "nvidia-smi: not found"
  fi
  echo "python: $py ($("$py" --version 2>&1))"
  "$py" - <<'PY' || true
import importlib
for module in ("torch", "numpy", "PIL", "onnxruntime", "torchvision", "regex"):
    try:
        m = importlib.import_module(module)
        print(f"  {module} {getattr(m, '__version__', '?')}")
    except Exception as e:
        print(f"  {module}: not importable ({type(e).__name__})")
try:
    import torch
    if torch.cuda.is_available():
        print(f"  torch CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name(0)}")
    else:
        print(f"  torch sees no CUDA device (torch.version.cuda={torch.version.cuda})")
except Exception as e:
    print(f"  torch: {e}")
PY
  local dirs
  dirs="$(nvidia_lib_dirs)"
  echo "nvidia wheel lib folders: ${dirs:-none}"
  for lib in libcudart.so.13 libcublasLt.so.13 libcublas.so.13 libcurand.so.10 libcudnn.so.9 libcufft.so.12 libssl.so.3 libcrypto.so.3 libturbojpeg.so.0 libwebp.so.7; do
    if LD_LIBRARY_PATH="$dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" system_has "$lib"; then echo "  $lib: loads"; else echo "  $lib: MISSING"; fi
  done
  for tool in xz tar zstd sha256sum timeout; do
    if command -v "$tool" >/dev/null; then echo "  $tool: $(command -v "$tool")"; else echo "  $tool: MISSING"; fi
  done
}

if [ "$mode" = probe ]; then
  probe
  exit 0
fi

out="${OUT:-$home/out}"
mkdir -p "$out" "$work"
out="$(cd "$out" && pwd)"
timings="$work/.timings"
: > "$timings"
step_name=""; step_start=$SECONDS
step() {
  [ -z "$step_name" ] || { echo "   $step_name took $((SECONDS - step_start)) s"; printf '%s\t%s\n' "$step_name" "$((SECONDS - step_start))" >> "$timings"; }
  step_name="$*"; step_start=$SECONDS
  [ -z "$step_name" ] || echo "== device-run [$(( $(date +%s) - started_at )) s]: $step_name"
}

main() {
  echo "device-run.sh: $( [ "$rehearsal" = 1 ] && echo "REHEARSAL on the CPU" || echo "GPU run"), home $home, out $out"

  # ---- 1. verify the parts and unpack the kit ---------------------------------------------
  step "verify parts"
  [ -f "$parts/SHA256SUMS" ] || { echo "device-run.sh: $parts/SHA256SUMS missing: run the part calls that pack.sh printed first" >&2; return 1; }
  local listed missing=() whole
  mapfile -t listed < <(awk '{print $2}' "$parts/SHA256SUMS" | grep -F ".part" || true)
  for p in "${listed[@]}"; do [ -f "$parts/$p" ] || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "device-run.sh: parts missing from $parts: ${missing[*]} (repeat their calls)" >&2
    return 1
  fi
  (cd "$parts" && grep -F ".part" SHA256SUMS | sha256sum -c --quiet) || { echo "device-run.sh: a part is damaged (see above): repeat its call" >&2; return 1; }
  whole="$(awk -v n="$name.tar.xz" '$2 == n {print $1}' "$parts/SHA256SUMS")"
  echo "   ${#listed[@]} parts ok, payload $whole"

  step "unpack kit"
  if [ -f "$kit/.payload-sha256" ] && [ "$(cat "$kit/.payload-sha256")" = "$whole" ]; then
    echo "   already unpacked in $kit"
  else
    rm -rf "$kit" "$kit.tmp"
    mkdir -p "$kit.tmp"
    local tool="$unpack_with"
    if [ "$tool" = auto ]; then
      tool=xz
      command -v xz >/dev/null && command -v tar >/dev/null || tool=python
    fi
    echo "   with $tool"
    if [ "$tool" = xz ]; then
      cat "${listed[@]/#/$parts/}" | xz -dc -T0 | tar -x -i -C "$kit.tmp"
    else
      cat "${listed[@]/#/$parts/}" | "$py" -c '
import lzma, sys, tarfile
with tarfile.open(fileobj=lzma.LZMAFile(sys.stdin.buffer), mode="r|", ignore_zeros=True) as archive:
    if hasattr(tarfile, "tar_filter"):
        archive.extractall(sys.argv[1], filter="tar")
    else:
        archive.extractall(sys.argv[1])
' "$kit.tmp"
    fi
    echo "$whole" > "$kit.tmp/.payload-sha256"
    mv "$kit.tmp" "$kit"
  fi
  for must in dotnet/dotnet app/ipiqa-worker.dll app/libonnxruntime_providers_cuda.so train/ipiqa-train.dll bin/ipiqa; do
    [ -e "$kit/$must" ] || { echo "device-run.sh: the kit lacks $must" >&2; return 1; }
  done
  sed 's/^/   /' "$kit/KIT.txt"

  # ---- 2. environment ----------------------------------------------------------------------
  step "environment"
  # The kit's dotnet first on PATH (the launchers in kit/bin call it by its full path anyway).
  export PATH="$kit/bin:$kit/dotnet:$PATH"
  export DOTNET_ROOT="$kit/dotnet" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_gcServer=0
  local nvdirs
  nvdirs="$(nvidia_lib_dirs)"
  [ -n "$nvdirs" ] || echo "   no nvidia wheel libraries under $py: the CUDA provider will not load$([ "$rehearsal" = 1 ] && echo " (expected in the rehearsal)")"
  local ld="$nvdirs"
  if system_has libssl.so.3 && system_has libcrypto.so.3; then
    echo "   OpenSSL 3: the machine's"
  else
    ld="${ld:+$ld:}$kit/lib/ssl"; echo "   OpenSSL 3: the kit's ($kit/lib/ssl)"
  fi
  export LD_LIBRARY_PATH="$ld${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "   LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  [ "$(command -v dotnet)" = "$kit/dotnet/dotnet" ] || { echo "device-run.sh: dotnet on PATH is $(command -v dotnet), not the kit's" >&2; return 1; }
  dotnet --list-runtimes | tee "$work/runtimes.txt" | sed 's/^/   /'
  grep -q "Microsoft.NETCore.App .*\[$kit/dotnet/shared/Microsoft.NETCore.App\]" "$work/runtimes.txt" \
    || { echo "device-run.sh: the kit's dotnet does not list its own runtime" >&2; return 1; }
  ipiqa version | sed 's/^/   /'
  {
    echo "# device-run.sh environment, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    probe
    echo
    echo "# kit"; cat "$kit/KIT.txt"
    echo; echo "# dotnet --list-runtimes"; cat "$work/runtimes.txt"
    echo; echo "# LD_LIBRARY_PATH"; echo "$LD_LIBRARY_PATH"
    echo; echo "# ldd libonnxruntime_providers_cuda.so (with that LD_LIBRARY_PATH)"
    ldd "$kit/app/libonnxruntime_providers_cuda.so" 2>&1 || true
    echo; echo "# kit libraries load (absolute paths)"
    for lib in "$kit"/lib/*/*.so*; do
      if "$py" -c 'import ctypes, sys; ctypes.CDLL(sys.argv[1])' "$lib" 2>/dev/null; then echo "$lib: loads"; else echo "$lib: DOES NOT LOAD"; fi
    done
    if [ "$rehearsal" != 1 ] && command -v nvidia-smi >/dev/null; then echo; echo "# nvidia-smi"; nvidia-smi || true; fi
  } > "$out/env.txt" 2>&1
  local unresolved
  unresolved="$(ldd "$kit/app/libonnxruntime_providers_cuda.so" 2>&1 | grep 'not found' | awk '{print $1}' | tr '\n' ' ' || true)"
  if [ -n "$unresolved" ]; then
    echo "   WARNING: the CUDA provider's libraries not found: $unresolved-> ONNX Runtime will fall back to CPU$([ "$rehearsal" = 1 ] && echo " (expected in the rehearsal)")"
  else
    echo "   the CUDA provider's libraries all resolve"
  fi
  if [ "$rehearsal" != 1 ]; then
    nvidia-smi || echo "   WARNING: nvidia-smi failed"
  fi

  # ---- 3. weights and bundles --------------------------------------------------------------
  local run_sizes="$sizes"
  [[ " $run_sizes " == *" $worker_model_size "* ]] || run_sizes="$worker_model_size $run_sizes"
  step "weights and bundles ($run_sizes px)"
  SIZES="$run_sizes" PREPARE_ONLY=1 PYTHON="$py" TORCH_DEVICE="$torch_device" IPIQA=ipiqa IPIQA_TRAIN=ipiqa-train \
    bash "$root/bench/gpu/run.sh" "$work"

  # ---- 4. the worker -----------------------------------------------------------------------
  step "worker images ($worker_images of ${worker_image_size} px)"
  local wdir="$work/worker"
  if [ ! -f "$wdir/.made-$worker_images-$worker_image_size-$worker_distinct-$worker_per_prompt" ]; then
    rm -rf "$wdir"
    "$py" "$root/bench/gpu/make_worker_jobs.py" --out "$wdir" --count "$worker_images" --size "$worker_image_size" \
      --distinct "$worker_distinct" --images-per-prompt "$worker_per_prompt"
    touch "$wdir/.made-$worker_images-$worker_image_size-$worker_distinct-$worker_per_prompt"
  fi
  step "worker run (ipiqa-worker --drain, CUDA asked for, batch $worker_batch, $worker_model_size px bundle)"
  local codecs_ld="" rc=0 t_start t_end
  if system_has libturbojpeg.so.0 && system_has libwebp.so.7; then
    echo "   codecs: the machine's libjpeg-turbo and libwebp"
  elif [ "$worker_codecs" = system ]; then
    echo "   codecs: the machine's only (WORKER_CODECS=system); what it lacks ImageSharp decodes"
  else
    codecs_ld="$kit/lib/codecs"; echo "   codecs: the kit's libjpeg-turbo and libwebp"
  fi
  rm -f "$wdir/results.jsonl"
  t_start=$(date +%s.%N)
  (
    cd "$wdir"
    export IpIqa__Model__BundlePath="$work/rn50-$worker_model_size-bundle" IpIqa__Model__ExecutionProvider=Cuda \
      IpIqa__Transport__Kind=Local IpIqa__Local__JobsPath="$wdir/jobs.jsonl" IpIqa__Local__ImageRoot="$wdir/images" \
      IpIqa__Local__ResultsPath="$wdir/results.jsonl" IpIqa__Local__Drain=true IpIqa__Health__Port=0 \
      IpIqa__Batching__MaxBatchSize="$worker_batch"
    [ -z "$codecs_ld" ] || export LD_LIBRARY_PATH="$codecs_ld:$LD_LIBRARY_PATH"
    exec timeout "$worker_timeout" ipiqa-worker --drain
  ) > "$out/worker.log" 2>&1 || rc=$?
  t_end=$(date +%s.%N)
  [ ! -f "$wdir/results.jsonl" ] || cp "$wdir/results.jsonl" "$out/worker-results.jsonl"
  "$py" - "$out/worker.log" "$wdir/results.jsonl" "$out/worker-report.json" "$rc" "$t_start" "$t_end" \
    "$worker_images" "$worker_image_size" "$worker_model_size" "$worker_batch" "$worker_codecs" "$(nproc)" <<'PY'
import collections, datetime, json, os, re, sys
log_path, results_path, report_path, rc, t0, t1, n, image_size, model_size, batch, codecs, cpus = sys.argv[1:]
log = open(log_path, encoding="utf-8", errors="replace").read()
loaded = re.search(r"loaded from .*? on (\S+), max batch (\d+)", log, re.S)
fallback = re.search(r"was asked for but the model runs on CPU: (.*)", log)
decoders = re.search(r"Image decoders: (.*)", log)
# ONNX Runtime's own line names the library that did not load (the fallback warning does not).
load_error = re.search(r"Failed to load library (\S+) with error: ([^\n\x1b]*)", log)
results = []
if os.path.exists(results_path):
    results = [json.loads(line) for line in open(results_path, encoding="utf-8") if line.strip()]
errors = collections.Counter(r["error"]["code"] for r in results if r.get("error"))
stamps = sorted(datetime.datetime.fromisoformat(r["scoredAt"]) for r in results if r.get("scoredAt") and not r.get("error"))
scored = sum(1 for r in results if not r.get("error"))
wall = float(t1) - float(t0)
span = (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else 0.0
# Steady rate: the images finished after the first batch's, over the time from it to the last result.
after_first = sum(1 for s in stamps if s > stamps[0]) if stamps else 0
model_ms = [r["timings"]["modelMs"] for r in results if r.get("timings")]
report = {
    "jobs": int(n), "results": len(results), "scored": scored, "failed": sum(errors.values()), "error_codes": dict(errors),
    "exit_code": int(rc), "provider": loaded.group(1) if loaded else None,
    "cuda_fallback_reason": fallback.group(1).strip() if fallback else None,
    "onnxruntime_load_error": f"{os.path.basename(load_error.group(1))}: {load_error.group(2).strip()}" if load_error else None,
    "decoders": decoders.group(1).strip() if decoders else None, "codecs_setting": codecs,
    "image_size": int(image_size), "model_size": int(model_size), "max_batch": int(batch), "cpus": int(cpus),
    "wall_s": round(wall, 2), "images_per_s_wall": round(scored / wall, 1) if wall > 0 else None,
    "first_to_last_result_s": round(span, 2),
    "images_per_s_steady": round(after_first / span, 1) if span > 0 else None,
    "model_ms_mean": round(sum(model_ms) / len(model_ms), 2) if model_ms else None,
}
json.dump(report, open(report_path, "w"), indent=1)
print(json.dumps(report))
if report["provider"] is None:
    print("WARNING: the worker log has no 'Model ... loaded ... on PROVIDER' line: see worker.log")
if fallback:
    print(f"WARNING: the worker asked for CUDA but ran on CPU: {report['cuda_fallback_reason']}"
          + (f" ({report['onnxruntime_load_error']})" if load_error else ""))
if int(rc) != 0 or scored != int(n):
    print(f"WARNING: worker exit code {rc}, {scored} of {n} jobs scored")
PY

  # ---- 5. model throughput -----------------------------------------------------------------
  step "model throughput (run.sh)"
  local deadline=$((started_at + deadline_s))
  DEADLINE="$deadline" PYTHON="$py" TORCH_DEVICE="$torch_device" IPIQA=ipiqa IPIQA_TRAIN=ipiqa-train SIZES="$sizes" \
    bash "$root/bench/gpu/run.sh" "$work" || echo "   WARNING: run.sh exited $?"
  local f
  for f in gpu-reports.jsonl bench-stderr.log; do [ ! -f "$work/$f" ] || cp "$work/$f" "$out/$f"; done
  step ""
}

summary() {
  local status="$1"
  {
    echo "# GPU kit run, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    if [ "$rehearsal" = 1 ]; then echo "**REHEARSAL on the CPU**: torch on the CPU, tiny sizes; these are not GPU figures."; echo; fi
    echo "- exit status: $status"
    [ ! -f "$kit/KIT.txt" ] || sed 's/^/- /' "$kit/KIT.txt"
    if [ "$rehearsal" != 1 ] && command -v nvidia-smi >/dev/null; then
      echo "- GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -n 1)"
    fi
    echo "- host: $(nproc) CPUs; python $py"
    echo
    echo "## Step times"
    echo "| step | s |"
    echo "|---|---|"
    awk -F'\t' '{printf "| %s | %s |\n", $1, $2}' "$timings"
    echo "| whole run | $(( $(date +%s) - started_at )) |"
    echo
    echo "## Worker (ipiqa-worker --drain, local transport, CUDA asked for)"
    if [ -f "$out/worker-report.json" ]; then
      "$py" - "$out/worker-report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if r.get("cuda_fallback_reason"):
    print(f"**WARNING: CUDA was asked for but the worker ran on CPU**: {r['cuda_fallback_reason']}"
          + (f" ({r['onnxruntime_load_error']})" if r.get("onnxruntime_load_error") else "") + "\n")
print("| images | image px | model px | max batch | provider | decoders | scored | failed | wall s | images/s (wall, incl. start and load) | images/s (first to last result) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
print(f"| {r['jobs']} | {r['image_size']} | {r['model_size']} | {r['max_batch']} | {r['provider']} | {r['decoders']} | {r['scored']} "
      f"| {r['failed']} | {r['wall_s']} | {r['images_per_s_wall']} | {r['images_per_s_steady']} |")
PY
    else
      echo "not run (see device-run.log)"
    fi
    echo
    echo "## Model throughput (bench/gpu/run.sh, best of rounds)"
    if [ -f "$work/gpu-table.md" ] && [ -f "$out/gpu-reports.jsonl" ]; then cat "$work/gpu-table.md"; else echo "not run (see device-run.log)"; fi
  } > "$out/summary.md"
}

# Everything printed goes to the call's output and to $OUT/device-run.log. main runs in a subshell
# with errexit of its own (a `||` after the pipeline would switch it off inside).
set +e
(set -e; main) 2>&1 | tee "$out/device-run.log"
status=${PIPESTATUS[0]}
set -e
summary "$status" 2>&1 | tee -a "$out/device-run.log"
# What comes back: at most 8 files of at most 16 MiB each; cut the middle out of a larger log.
for f in "$out"/*; do
  if [ -f "$f" ] && [ "$(stat -c %s "$f")" -gt $((15 * 1024 * 1024)) ]; then
    { head -c $((7 * 1024 * 1024)) "$f"; printf '\n[... cut by device-run.sh ...]\n'; tail -c $((7 * 1024 * 1024)) "$f"; } > "$f.cut" && mv "$f.cut" "$f"
  fi
done
count="$(find "$out" -maxdepth 1 -type f | wc -l)"
[ "$count" -le 8 ] || echo "device-run.sh: WARNING: $count files under $out; only 8 come back"
echo "device-run.sh: results in $out ($(find "$out" -maxdepth 1 -type f -printf '%f ' )); exit $status"
exit "$status"
