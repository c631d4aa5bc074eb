#!/usr/bin/env bash
# Publishes the worker (ipiqa-worker) and the command line (ipiqa, run by the nightly rescoring
# job) into one folder, framework-dependent for linux-x64. The Dockerfile and CI both call this
# script, so the image and the CI check build exactly the same thing.
#
# Usage: build/publish-worker.sh OUTPUT_DIR [GPU]
#   GPU  true (default): ONNX Runtime CUDA package (Microsoft.ML.OnnxRuntime.Gpu.Linux)
#        false:          ONNX Runtime CPU package (Microsoft.ML.OnnxRuntime)
# IPIQA_ARTIFACTS (optional) moves the intermediate obj/bin folders; by default they go under
# artifacts/publish-gpu-GPU so a publish never mixes with the test build's obj folders.
set -euo pipefail

out=${1:?usage: build/publish-worker.sh OUTPUT_DIR [true|false]}
gpu=${2:-true}
case "$gpu" in
  true | false) ;;
  *) echo "publish-worker.sh: GPU must be 'true' or 'false', got '$gpu'" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
artifacts=${IPIQA_ARTIFACTS:-$root/artifacts/publish-gpu-$gpu}
mkdir -p "$out"
out=$(cd "$out" && pwd)

for project in src/IpIqa.Worker src/IpIqa.Cli; do
  dotnet publish "$root/$project" \
    -c Release -r linux-x64 --self-contained false \
    -p:IpIqaGpu="$gpu" \
    --artifacts-path "$artifacts" \
    -o "$out" \
    -nologo
done

# Both entry points must be there, and the ONNX Runtime flavour must match the request.
for entry in ipiqa-worker.dll ipiqa.dll; do
  [ -f "$out/$entry" ] || { echo "publish-worker.sh: $entry missing from $out" >&2; exit 1; }
done
if [ "$gpu" = true ] && [ ! -f "$out/libonnxruntime_providers_cuda.so" ]; then
  echo "publish-worker.sh: GPU publish lacks libonnxruntime_providers_cuda.so in $out" >&2
  exit 1
fi
echo "publish-worker.sh: published ipiqa-worker and ipiqa (GPU=$gpu) to $out"
