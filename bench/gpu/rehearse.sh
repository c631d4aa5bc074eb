#!/usr/bin/env bash
# The GPU kit's rehearsal on this machine (no GPU): packs the kit (bench/gpu/pack.sh), then plays
# the device calls it printed against a scratch "device": a copy of the working tree as the run tool
# makes it, each call's carried part copied in, each call's command run there with /tmp/ipiqa-gpu
# pointed at the scratch folder, and the last call (bench/gpu/device-run.sh) with
# IPIQA_GPU_REHEARSAL=1: torch on the CPU with /usr/bin/python3, tiny sizes and few images, no
# dotnet but the kit's on PATH, and python modules the GPU machine's venv lacks (torchvision, regex)
# made unimportable. ONNX Runtime is still asked for CUDA and falls back to CPU, so the fallback
# reporting is exercised. Then it checks what came back, as the device run's $OUT would.
#
#   bench/gpu/rehearse.sh [SCRATCH]      (default /tmp/ipiqa-gpu-rehearsal; emptied first)
# Environment: passed on to pack.sh (PART_MIB, SKIP_PUBLISH, ...) and device-run.sh (SIZES, ...).
# Takes about 5 minutes on 2 cores once the cache holds the big segments (see pack.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${1:-/tmp/ipiqa-gpu-rehearsal}"
case "$scratch" in /tmp/?*) ;; *) echo "rehearse.sh: SCRATCH must be a folder under /tmp (it is emptied), got '$scratch'" >&2; exit 2 ;; esac
t0=$SECONDS
say() { echo "== rehearse [$((SECONDS - t0)) s]: $*"; }
/usr/bin/python3 -c 'import numpy, PIL, torch' 2>/dev/null \
  || { echo "rehearse.sh: /usr/bin/python3 needs torch, numpy and Pillow: apt-get install python3-torch python3-numpy python3-pil" >&2; exit 2; }

say "pack"
bash "$root/bench/gpu/pack.sh"

say "scratch device in $scratch"
rm -rf "$scratch"
mkdir -p "$scratch/repo" "$scratch/home" "$scratch/out" "$scratch/shims"
# The run tool's copy: tracked files and untracked files git does not ignore.
(cd "$root" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$scratch/repo"
# Python modules the GPU machine's venv does not have (it has torch, numpy, safetensors, Pillow, onnx,
# onnxruntime): importing them here fails as it would there.
for module in torchvision regex; do
  echo "raise ImportError('$module is not installed on the GPU machine (rehearsal shim)')" > "$scratch/shims/$module.py"
done
# No dotnet but the kit's: a `dotnet` first on PATH that fails loudly, and no DOTNET_ROOT; device-run.sh
# must put the kit's in front of it, and the kit's has no SDK and only its own runtime.
mkdir -p "$scratch/no-dotnet"
printf '#!/bin/sh\necho "rehearse.sh: a dotnet other than the kit'"'"'s was called: dotnet $*" >&2\nexit 99\n' > "$scratch/no-dotnet/dotnet"
chmod 755 "$scratch/no-dotnet/dotnet"
device() {  # device COMMAND: runs a call's command in the scratch copy, as the device would
  (cd "$scratch/repo" && env -u DOTNET_ROOT PATH="$scratch/no-dotnet:$PATH" PYTHONPATH="$scratch/shims" OUT="$scratch/out" IPIQA_GPU_HOME="$scratch/home" \
    IPIQA_GPU_REHEARSAL=1 UNPACK_WITH="${UNPACK_WITH:-python}" bash -c "$1")
}

mapfile -t calls < <(cat "$root/.gpu/calls.jsonl")
i=0
for call in "${calls[@]}"; do
  i=$((i + 1))
  mapfile -t carry < <(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])["carry"]))' "$call" | sed '/^$/d')
  command="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["command"])' "$call")"
  command="${command//\/tmp\/ipiqa-gpu/$scratch/home}"
  say "call $i of ${#calls[@]}: carry ${carry[*]:-nothing}; $command"
  for path in "${carry[@]}"; do
    mkdir -p "$scratch/repo/$(dirname "$path")"
    cp "$root/$path" "$scratch/repo/$path"
  done
  device "$command"
done

say "checks"
python3 - "$scratch/out" <<'PY'
import json, os, sys
out = sys.argv[1]
files = sorted(os.listdir(out))
problems = []
if len(files) > 8:
    problems.append(f"{len(files)} files under OUT (at most 8 come back): {files}")
for f in files:
    if os.path.getsize(os.path.join(out, f)) > 16 * 1024 * 1024:
        problems.append(f"{f} is over 16 MiB")
for must in ("summary.md", "device-run.log", "env.txt", "gpu-reports.jsonl", "worker.log", "worker-report.json", "worker-results.jsonl"):
    if must not in files:
        problems.append(f"{must} missing")
worker = json.load(open(os.path.join(out, "worker-report.json")))
if worker["exit_code"] != 0 or worker["scored"] != worker["jobs"] or worker["results"] != worker["jobs"]:
    problems.append(f"worker: exit {worker['exit_code']}, {worker['scored']} of {worker['jobs']} scored, {worker['results']} results")
# Without CUDA the GPU build falls back to CPU: the report must say so, with the reason.
if worker["provider"] != "CPU" or not worker["cuda_fallback_reason"]:
    problems.append(f"worker: the CPU fallback is not reported (provider {worker['provider']}, reason {worker['cuda_fallback_reason']})")
if not worker["decoders"]:
    problems.append("worker: no 'Image decoders' line in worker.log")
reports = [json.loads(line) for line in open(os.path.join(out, "gpu-reports.jsonl"))]
errors = [r for r in reports if "error" in r]
sides = {r["side"] for r in reports if "error" not in r}
if errors:
    problems.append(f"{len(errors)} failed measurements, e.g. {errors[0]}")
for side in ("ours", "pytorch", "pytorch-tf32"):
    if side not in sides:
        problems.append(f"no {side} reports")
if any(r["side"].startswith("ours") and r.get("provider") != "CPU" for r in reports if "error" not in r):
    problems.append("an ours report names a provider other than CPU on a machine without CUDA")
summary = open(os.path.join(out, "summary.md")).read()
for text in ("WARNING: CUDA was asked for but the worker ran on CPU", "WARNING: ONNX Runtime was asked for CUDA but ran on CPU", "exit status: 0"):
    if text not in summary:
        problems.append(f"summary.md lacks '{text}'")
for p in problems:
    print(f"rehearse.sh: FAIL: {p}")
if problems:
    sys.exit(1)
print(f"rehearse.sh: OK: {len(files)} files under OUT ({', '.join(files)}); worker {worker['scored']} images on "
      f"{worker['provider']} (fallback reported: {worker['cuda_fallback_reason'][:80]}...), decoders {worker['decoders']}; "
      f"{len(reports)} model reports, sides {sorted(sides)}")
PY

# ipiqa-train export needs no libtorch: the kit's train folder has no native library at all, and
# an export through the kit's launcher loads none (the loader's own log, LD_DEBUG=libs).
kit="$scratch/home/kit"
natives="$(find "$kit/train" -name '*.so*' -printf '%f ')"
rm -f "$scratch"/ld-debug.*
[ -z "$natives" ] || { echo "rehearse.sh: FAIL: native libraries in the kit's train folder: $natives" >&2; exit 1; }
env -u DOTNET_ROOT LD_DEBUG=libs LD_DEBUG_OUTPUT="$scratch/ld-debug" "$kit/bin/ipiqa-train" export \
  --weights "$scratch/home/work/rn50-${WORKER_MODEL_SIZE:-64}.safetensors" --config "$scratch/home/work/rn50-${WORKER_MODEL_SIZE:-64}.config.json" \
  --vocab "$root/models/demo/bpe_simple_vocab_16e6.txt.gz" --out "$scratch/export-check" > "$scratch/export-check.log" 2>&1 \
  || { cat "$scratch/export-check.log" >&2; echo "rehearse.sh: FAIL: export through the kit" >&2; exit 1; }
# Any library the loader looked for or loaded, from any folder (the NuGet cache included), is in its log.
torch_loads="$(cat "$scratch"/ld-debug.* | grep -o -i -E '[^ =/]*(torch|c10)[^ ;]*' | sort -u | tr '\n' ' ' || true)"
[ -z "$torch_loads" ] || { echo "rehearse.sh: FAIL: export looked for or loaded $torch_loads" >&2; exit 1; }
[ -f "$scratch/export-check/bundle.json" ] || { echo "rehearse.sh: FAIL: export wrote no bundle.json" >&2; exit 1; }
echo "rehearse.sh: ipiqa-train export ran from the kit with no native library beside it and looked for no libtorch ($(find "$scratch" -maxdepth 1 -name 'ld-debug.*' | wc -l) processes traced)"

# The device unpacks with xz and tar where it has them; the rehearsal used python's lzma and tarfile
# (UNPACK_WITH=python), so check that xz and tar read the same archive to the same files.
if [ "${UNPACK_WITH:-python}" = python ] && command -v xz >/dev/null; then
  mapfile -t part_files < <(awk '$2 ~ /\.part/ {print $2}' "$scratch/home/parts/SHA256SUMS")
  (cd "$scratch/home/parts" && cat "${part_files[@]}") | xz -dc | tar -t -i | grep -v '/$' | sort > "$scratch/xz-list.txt"
  (cd "$scratch/home/kit" && find . ! -type d ! -name .payload-sha256 | sed 's#^\./##' | sort) > "$scratch/python-list.txt"
  if ! diff -q "$scratch/xz-list.txt" "$scratch/python-list.txt" >/dev/null; then
    echo "rehearse.sh: FAIL: xz + tar and python unpack different files:" >&2
    diff "$scratch/xz-list.txt" "$scratch/python-list.txt" | head -n 20 >&2
    exit 1
  fi
  echo "rehearse.sh: xz + tar list the same $(wc -l < "$scratch/xz-list.txt") entries as the python unpack"
fi
say "done; the device's OUT is $scratch/out (summary.md first)"
