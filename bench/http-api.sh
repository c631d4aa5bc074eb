#!/usr/bin/env bash
# The scoring API under a bounded closed-loop load, against the engine alone on the same images.
#
# usage: bash bench/http-api.sh [MODEL=models/demo] [IMAGES=samples] [SECONDS=20] [CONCURRENCY=1,4,16,64] [ITEMS=1,8]
#
# Starts ipiqa-worker with IpIqa:Transport:Kind=Http on 127.0.0.1:18081 (CPU, default batching), then
# runs bench/tools/HttpLoad: for each (items per request, concurrency) C clients send base64 JSON for
# SECONDS after a 5 s warm-up, each waiting for its answer before the next request (a 429 waits a
# tenth of its Retry-After). Prints one JSON line per point, the worker's RSS before and after, and
# `ipiqa bench e2e` on the same images with the worker's batch size (32), after the load. Needs the Release builds of the
# worker, the CLI and HttpLoad (dotnet build bench/tools/HttpLoad -c Release).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODEL=${1:-$ROOT/models/demo}
IMAGES=${2:-$ROOT/samples}
SECONDS_PER_POINT=${3:-20}
CONCURRENCY=${4:-1,4,16,64}
ITEMS=${5:-1,8}
BIN=bin/Release/net10.0/linux-x64
PORT=18081
log() { echo "[http-api] $*" >&2; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

work=$(mktemp -d)
IpIqa__Transport__Kind=Http IpIqa__Http__Port=$PORT IpIqa__Health__Port=0 IpIqa__Model__BundlePath="$MODEL" \
  IpIqa__Model__ExecutionProvider=Cpu Logging__LogLevel__Default=Warning \
  "$ROOT/src/IpIqa.Worker/$BIN/ipiqa-worker" >"$work/worker.log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$PORT/v1/model" >/dev/null; then break; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/v1/model"
echo
log "worker RSS at start: $(rss_mb $worker) MB; cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/bench/tools/HttpLoad/$BIN/http-load" "http://127.0.0.1:$PORT" "$IMAGES" "$CONCURRENCY" "$ITEMS" "$SECONDS_PER_POINT"
log "worker RSS at end: $(rss_mb $worker) MB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
kill $worker
wait $worker 2>/dev/null || true
e2e() {
  "$ROOT/src/IpIqa.Cli/$BIN/ipiqa" bench e2e -m "$MODEL" -i "$IMAGES" -b 32 --repeat "${E2E_REPEAT:-500}" 2>/dev/null |
    python3 -c 'import json, sys; r = json.load(sys.stdin); print(json.dumps({"engine_alone": True, "images": r["images"], "images_per_s": r["images_per_s"], "mean_batch_size": r["mean_batch_size"], "load_average": r["load_average"]}))'
}
log "the engine alone (ipiqa bench e2e, batch 32 as the worker's default), same images, after the load:"
e2e
