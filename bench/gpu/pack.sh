#!/usr/bin/env bash
# Packs the GPU benchmark kit for an offline GPU machine that has no .NET: the dotnet host with only
# the Microsoft.NETCore.App framework, the GPU publish of ipiqa-worker and ipiqa, and ipiqa-train
# (framework-dependent, without libtorch: `export` is managed code). The kit is one multi-stream
# .tar.xz split into numbered parts under .gpu/parts/, and the script prints the device calls that
# bring the parts over and run bench/gpu/device-run.sh. See bench/gpu/README.md.
#
#   bench/gpu/pack.sh
# Environment:
#   PART_MIB (34)   largest part in MiB: each call carries one part beside the ~25 MiB working tree,
#                   and a call carries at most 64 MiB in all.
#   XZ_BIG ("-9e")  xz preset of the big segments that rarely change (CUDA provider, ONNX Runtime,
#                   .NET runtime); they are compressed once and kept in .gpu/cache/ by the SHA-256
#                   of their tar, so a rerun after a code change recompresses only the apps.
#   XZ_APPS ("-9")  xz preset of the apps segment (recompressed on every run).
#   XZ_THREADS (2)  xz threads.
#   SKIP_PUBLISH=1  reuse .gpu/stage/publish-* from the last run (iterating on the scripts only).
# Needs the .NET SDK, GNU tar, xz, sha256sum, python3.
set -euo pipefail
shopt -s inherit_errexit
root="$(cd "$(dirname "$0")/../.." && pwd)"
gpu="$root/.gpu"
stage="$gpu/stage"
kit="$stage/kit"
cache="$gpu/cache"
parts="$gpu/parts"
part_mib="${PART_MIB:-34}"
xz_big="${XZ_BIG:--9e}"
xz_apps="${XZ_APPS:--9}"
xz_threads="${XZ_THREADS:-2}"
name=ipiqa-gpu-kit

case "$part_mib" in '' | *[!0-9]*) echo "pack.sh: PART_MIB must be a whole number of MiB, got '$part_mib'" >&2; exit 2 ;; esac
[ "$part_mib" -ge 1 ] || { echo "pack.sh: PART_MIB must be at least 1" >&2; exit 2; }
for tool in dotnet tar xz sha256sum python3 split; do
  command -v "$tool" >/dev/null || { echo "pack.sh: '$tool' is required" >&2; exit 2; }
done

t0=$SECONDS
step_start=$SECONDS
step() { echo "== pack: $* ($((SECONDS - t0)) s)"; step_start=$SECONDS; }
done_step() { echo "   took $((SECONDS - step_start)) s"; }
mib() { python3 -c 'import os, sys; print(f"{sum(os.path.getsize(p) for p in sys.argv[1:]) / 1048576:.1f} MiB")' "$@"; }

mkdir -p "$stage" "$cache"

# ---- 1. publish ----------------------------------------------------------------------------
if [ "${SKIP_PUBLISH:-0}" = 1 ] && [ -f "$stage/publish-app/ipiqa-worker.dll" ] && [ -f "$stage/publish-train/ipiqa-train.dll" ]; then
  step "publish: reusing $stage/publish-app and publish-train (SKIP_PUBLISH=1)"
else
  step "publish ipiqa-worker + ipiqa (GPU) and ipiqa-train (framework-dependent)"
  rm -rf "$stage/publish-app" "$stage/publish-train"
  bash "$root/build/publish-worker.sh" "$stage/publish-app" true > "$stage/publish-app.log" 2>&1 \
    || { tail -n 40 "$stage/publish-app.log" >&2; exit 1; }
  dotnet publish "$root/training/IpIqa.Training" -c Release -r linux-x64 --self-contained false \
    -p:IpIqaGpu=false --artifacts-path "$root/artifacts/publish-gpukit-train" -o "$stage/publish-train" -nologo \
    > "$stage/publish-train.log" 2>&1 || { tail -n 40 "$stage/publish-train.log" >&2; exit 1; }
  done_step
fi

# ---- 2. stage the kit ----------------------------------------------------------------------
step "stage $kit"
rm -rf "$kit"
mkdir -p "$kit/dotnet/host/fxr" "$kit/dotnet/shared/Microsoft.NETCore.App" "$kit/bin" "$kit/lib/ssl" "$kit/lib/codecs"

# The runtime the apps roll forward to: the newest installed Microsoft.NETCore.App 10.0.x, and its hostfxr.
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime="$(find "$dotnet_root/shared/Microsoft.NETCore.App" -mindepth 1 -maxdepth 1 -type d -name '10.0.*' -printf '%f\n' | sort -V | tail -n 1)"
fxr="$(find "$dotnet_root/host/fxr" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1)"
if [ -z "$runtime" ] || [ -z "$fxr" ]; then echo "pack.sh: no Microsoft.NETCore.App 10.0.x or hostfxr under $dotnet_root" >&2; exit 1; fi
cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$kit/dotnet/"
cp -a "$dotnet_root/host/fxr/$fxr" "$kit/dotnet/host/fxr/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" "$kit/dotnet/shared/Microsoft.NETCore.App/"

# The GPU publish, less what the benchmark never loads: the TensorRT provider and the satellite
# resource folders (the apps run with invariant globalization).
cp -a "$stage/publish-app" "$kit/app"
rm -f "$kit/app/libonnxruntime_providers_tensorrt.so"
# ipiqa-train without any native library: no libtorch, libLibTorchSharp, ONNX Runtime or Skia.
# `export` reads safetensors and writes ONNX in managed code; the rehearsal proves it runs so.
cp -a "$stage/publish-train" "$kit/train"
find "$kit/train" -maxdepth 1 -type f \( -name '*.so' -o -name '*.so.*' -o -name 'onnxruntime.dll' \) -delete
for dir in "$kit/app" "$kit/train"; do
  find "$dir" -mindepth 1 -maxdepth 1 -type d -exec sh -c 'for d; do if [ -z "$(find "$d" -type f ! -name "*.resources.dll" -print -quit)" ]; then rm -rf "$d"; fi; done' sh {} +
done
# Every managed assembly the train deps.json lists must still be there; no libtorch may be left.
python3 - "$kit/train/ipiqa-train.deps.json" <<'PY'
import json, os, sys
deps = sys.argv[1]
folder = os.path.dirname(deps)
targets = json.load(open(deps))["targets"]
missing = sorted({os.path.basename(asset) for target in targets.values() for lib in target.values()
                  for asset in lib.get("runtime", {}) if not os.path.exists(os.path.join(folder, os.path.basename(asset)))})
if missing:
    sys.exit(f"pack.sh: managed assemblies missing from the kit's train folder: {missing}")
torch = [f for f in os.listdir(folder) if "torch" in f.lower() and not f.endswith(".dll")]
if torch:
    sys.exit(f"pack.sh: native torch files left in the kit's train folder: {torch}")
PY
for must in app/ipiqa-worker.dll app/ipiqa.dll app/libonnxruntime.so app/libonnxruntime_providers_shared.so \
  app/libonnxruntime_providers_cuda.so train/ipiqa-train.dll; do
  [ -f "$kit/$must" ] || { echo "pack.sh: $must missing from the kit" >&2; exit 1; }
done

# Launchers: always the kit's own dotnet (never one on PATH), found relative to the launcher.
# ipiqa-train's int8 calibration runs the float graph with ONNX Runtime: it loads the app's
# libonnxruntime.so (the same version) through LD_LIBRARY_PATH, as the train folder holds none.
for entry in ipiqa:app/ipiqa.dll ipiqa-worker:app/ipiqa-worker.dll ipiqa-train:train/ipiqa-train.dll; do
  env_line=""
  # shellcheck disable=SC2016 # the line is written into the launcher, which expands it when it runs
  [ "${entry%%:*}" != ipiqa-train ] || env_line='export LD_LIBRARY_PATH="$kit/app${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"'
  cat > "$kit/bin/${entry%%:*}" <<SH
#!/bin/sh
kit=\$(cd "\$(dirname "\$0")/.." && pwd)
$env_line
exec "\$kit/dotnet/dotnet" "\$kit/${entry#*:}" "\$@"
SH
  chmod 755 "$kit/bin/${entry%%:*}"
done

# Libraries the GPU machine may lack, used there only where its own are missing (device-run.sh):
# OpenSSL 3 (.NET's SHA-256 for bundle hashes) and the JPEG/WebP/PNG codecs the imaging code loads
# when present (libjpeg-turbo, libwebp, libspng), from this machine's Debian packages, with their copyright files.
for lib in ssl:libssl.so.3:libssl3 ssl:libcrypto.so.3:libssl3 codecs:libturbojpeg.so.0:libturbojpeg0 codecs:libwebp.so.7:libwebp7 codecs:libspng.so.0:libspng0; do
  IFS=: read -r dir file package <<<"$lib"
  path="$(find /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu -maxdepth 1 -name "$file" 2>/dev/null | head -n 1)"
  [ -n "$path" ] || { echo "pack.sh: $file not found (apt-get install $package)" >&2; exit 1; }
  cp -L "$path" "$kit/lib/$dir/$file"
  [ ! -f "/usr/share/doc/$package/copyright" ] || cp "/usr/share/doc/$package/copyright" "$kit/lib/$dir/$package.copyright"
done

commit="$(git -C "$root" rev-parse HEAD)"
dirty="$(git -C "$root" status --porcelain --untracked-files=no | head -c 1)"
{
  echo "ipiqa GPU kit"
  echo "commit: $commit${dirty:+ (with uncommitted changes)}"
  echo "packed: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "dotnet: Microsoft.NETCore.App $runtime, hostfxr $fxr"
  echo "onnxruntime: Microsoft.ML.OnnxRuntime.Gpu.Linux $(sed -n 's/.*"Microsoft.ML.OnnxRuntime.Gpu.Linux" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")"
  echo "cuda provider needs: $(readelf -d "$kit/app/libonnxruntime_providers_cuda.so" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | grep -E 'cu|nv' | tr '\n' ' ')"
} > "$kit/KIT.txt"
echo "   kit: $(du -sh "$kit" | cut -f1) (dotnet $(du -sh "$kit/dotnet" | cut -f1), app $(du -sh "$kit/app" | cut -f1), train $(du -sh "$kit/train" | cut -f1), lib $(du -sh "$kit/lib" | cut -f1))"
done_step

# ---- 3. compress: one xz stream per segment, the stable ones cached ------------------------
# A segment is a deterministic tar (sorted, no times or owners), so the same files give the same
# bytes and the same cache key. The xz streams are concatenated: `xz -dc` decodes them as one
# stream, and `tar --ignore-zeros` reads the concatenated tars as one archive.
tar_segment() { tar -C "$kit" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -cf - "$@"; }
segment() {
  local label="$1" preset="$2" cached="$3"; shift 3
  local key out
  key="$(tar_segment "$@" | sha256sum | cut -c1-64)"
  out="$cache/$label-$key.tar.xz"
  if [ -f "$out" ]; then
    echo "   $label: cached $(basename "$out") ($(mib "$out"))" >&2
  else
    local started=$SECONDS
    echo "   $label: xz $preset -T$xz_threads of $(du -sh --apparent-size -c "${@/#/$kit/}" | tail -n 1 | cut -f1) ..." >&2
    tar_segment "$@" | xz "$preset" -T"$xz_threads" -c > "$out.tmp"
    mv "$out.tmp" "$out"
    echo "   $label: $(mib "$out") in $((SECONDS - started)) s" >&2
    if [ "$cached" = no ]; then
      # The apps change with every commit: keep only the newest few.
      find "$cache" -maxdepth 1 -name "$label-*.tar.xz" -printf '%T@ %p\n' | sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -f
    fi
  fi
  echo "$out"
}

step "compress (cache: $cache)"
mapfile -t ort_rest < <(cd "$kit" && find app -maxdepth 1 -name 'libonnxruntime*.so' ! -name 'libonnxruntime_providers_cuda.so' | sort)
mapfile -t apps < <(cd "$kit" && { find app train -mindepth 1 -maxdepth 1 ! -name 'libonnxruntime*.so'; echo bin; echo lib; echo KIT.txt; } | sort)
seg_cuda="$(segment ort-cuda "$xz_big" yes app/libonnxruntime_providers_cuda.so)"
seg_ort="$(segment ort "$xz_big" yes "${ort_rest[@]}")"
seg_dotnet="$(segment dotnet "$xz_big" yes dotnet)"
seg_apps="$(segment apps "$xz_apps" no "${apps[@]}")"
segments=("$seg_cuda" "$seg_ort" "$seg_dotnet" "$seg_apps")
done_step

# ---- 4. split ------------------------------------------------------------------------------
step "split into parts of at most $part_mib MiB"
rm -rf "$parts"
mkdir -p "$parts"
cat "${segments[@]}" | split -b "${part_mib}M" --numeric-suffixes=1 -a 2 - "$parts/$name.part"
(cd "$parts" && sha256sum "$name".part* > SHA256SUMS && cat "$name".part* | sha256sum | sed "s/-\$/$name.tar.xz/" >> SHA256SUMS)
mapfile -t part_files < <(cd "$parts" && ls "$name".part*)
total="$(mib "${segments[@]}")"
echo "   ${#part_files[@]} parts, $total in all"
# A call carries the working tree (tracked files and untracked ones git does not ignore) plus one
# part, 64 MiB at most; say where PART_MIB stands against that.
tree_mib="$(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 stat -c %s 2>/dev/null \
  | awk '{s += $1} END {printf "%.1f", s / 1048576}')"
fits="$(python3 -c 'import sys; print(int(64 - float(sys.argv[1]) - 1))' "$tree_mib")"
echo "   working tree $tree_mib MiB: a part may be up to $fits MiB (64 MiB a call, 1 MiB spare)"
if [ "$part_mib" -gt "$fits" ]; then
  echo "pack.sh: PART_MIB=$part_mib with a $tree_mib MiB tree exceeds 64 MiB a call; use PART_MIB=$fits or less" >&2
  exit 1
fi
fewer="$(python3 -c 'import math, os, sys; print(math.ceil(sum(os.path.getsize(p) for p in sys.argv[2:]) / (int(sys.argv[1]) << 20)))' "$fits" "${segments[@]}")"
[ "$fewer" -ge "${#part_files[@]}" ] || echo "   (PART_MIB=$fits would make $fewer parts, $((${#part_files[@]} - fewer)) call(s) fewer)"
done_step

# ---- 5. the device calls -------------------------------------------------------------------
# CALLS.txt for a person, calls.jsonl ({"carry", "timeout_s", "command"} per call) for rehearse.sh.
calls="$gpu/CALLS.txt"
n_calls=$((${#part_files[@]} + 1))
: > "$gpu/calls.jsonl"
{
  echo "# $n_calls device calls (run tool), one after the other within ~30 s of each other."
  echo "# Kit: $total from commit $commit${dirty:+ plus uncommitted changes}; commit before packing so the tree on the device matches."
  i=0
  for part in "${part_files[@]}"; do
    i=$((i + 1))
    command="mkdir -p /tmp/ipiqa-gpu/parts && mv .gpu/parts/$part .gpu/parts/SHA256SUMS /tmp/ipiqa-gpu/parts/ && (cd /tmp/ipiqa-gpu/parts && grep ' $part\$' SHA256SUMS | sha256sum -c)"
    # The first call also shows what the machine has, before the other parts are spent on it.
    [ "$i" -ne 1 ] || command="$command && bash bench/gpu/device-run.sh --probe"
    echo
    echo "## call $i of $n_calls: part $i"
    echo "carry: [\".gpu/parts/$part\", \".gpu/parts/SHA256SUMS\"]"
    echo "timeout_s: 120"
    echo "command: $command"
    python3 -c 'import json, sys; print(json.dumps({"carry": sys.argv[1:3], "timeout_s": 120, "command": sys.argv[3]}))' \
      ".gpu/parts/$part" ".gpu/parts/SHA256SUMS" "$command" >> "$gpu/calls.jsonl"
  done
  command="bash bench/gpu/device-run.sh"
  echo
  echo "## call $n_calls of $n_calls: unpack, bundles, worker run, model benchmarks (results under \$OUT)"
  echo "carry: []"
  echo "timeout_s: 600"
  echo "command: $command"
  python3 -c 'import json, sys; print(json.dumps({"carry": [], "timeout_s": 600, "command": sys.argv[1]}))' "$command" >> "$gpu/calls.jsonl"
} > "$calls"
step "device calls (also in $calls)"
cat "$calls"
echo
echo "pack.sh: done in $((SECONDS - t0)) s"
