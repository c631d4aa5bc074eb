#!/usr/bin/env bash
# The worker against the engine alone, with any bundle (the RN50-size one is the case that
# matters), on each transport: local files, Service Bus (the loopback double) and Storage Queues
# (Azurite, images from its blob service in both queue cases).
#
# usage: bash bench/worker-vs-engine.sh MODEL [N=384] [TRANSPORTS=local,servicebus,storagequeue] [WORK=/tmp/ipiqa-wve]
#        WVE_WORKER=PATH runs another build of the worker (a ReadyToRun publish, say). WVE_TRACE=1 also records the worker's CPU samples after warm-up with Linux perf (WORK/TRANSPORT.perf.data;
#        read with `perf report -i FILE --no-children --sort dso,sym`).
#
# For each transport it queues N jobs, starts the built ipiqa-worker (default batching: 32 per
# batch, messages held 3 x 32), waits for N result lines in a JSONL sink, reads the mean batch from
# the worker's /metrics, and stops it. Throughput is the steady rate between the result that ends
# warm-up (2 x MaxBatchSize) and the last one, from the results' scoredAt, so the model load and the
# first batches do not count, as `ipiqa bench e2e` does not count its warm-up pass. The worker's CPU
# per job is its CPU (from /proc) over the same span divided by the jobs in it; minus the engine's
# CPU per image in its timed pass, it is what the worker adds. The emulator's CPU is measured apart. `ipiqa bench e2e`
# runs on the same images with the same batch size before and after the transports; its mean is
# the reference. One JSON line per measurement, then a summary line per transport.
set -euo pipefail

MODEL=$(realpath "${1:?usage: bash bench/worker-vs-engine.sh MODEL [N] [TRANSPORTS] [WORK]}")
N=${2:-384}
TRANSPORTS=${3:-local,servicebus,storagequeue}
WORK=${4:-/tmp/ipiqa-wve}
BATCH=32
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=bin/Release/net10.0/linux-x64
WORKER=${WVE_WORKER:-$ROOT/src/IpIqa.Worker/$BIN/ipiqa-worker}
CLI="$ROOT/src/IpIqa.Cli/$BIN/ipiqa"
TRAIN="$ROOT/training/IpIqa.Training/$BIN/ipiqa-train"
STORAGE="$ROOT/bench/tools/OverheadStorage/$BIN/overhead-storage"
HEALTH_PORT=18089
TIMEOUT_S=${WVE_TIMEOUT_S:-1800}

log() { echo "[worker-vs-engine] $*" >&2; }
cpu_s() { python3 -c "import os, sys; f = open(f'/proc/{sys.argv[1]}/stat').read().rsplit(')', 1)[1].split(); print((int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK'))" "$1"; }
[[ "$N" =~ ^[1-9][0-9]*$ && "$N" -gt $((4 * BATCH)) ]] || { echo "N must be more than $((4 * BATCH))" >&2; exit 2; }
for tool in "$WORKER" "$CLI" "$TRAIN" "$STORAGE"; do
  [[ -x "$tool" ]] || { echo "$tool is not built: dotnet build -c Release src/IpIqa.Worker src/IpIqa.Cli training/IpIqa.Training bench/tools/OverheadStorage" >&2; exit 2; }
done
if [[ -e "$WORK" && ! -e "$WORK/.worker-vs-engine" ]]; then
  echo "$WORK exists and was not made by this script; give another WORK folder" >&2
  exit 2
fi
rm -rf "$WORK"; mkdir -p "$WORK/gallery"; touch "$WORK/.worker-vs-engine"

log "making $N images (256 px PNG, 4 per prompt)"
"$TRAIN" synth --out "$WORK/synth" --prompts $(( (N + 3) / 4 )) --images-per-prompt 4 --size 256 --seed 0 > "$WORK/synth.log" 2>&1
python3 - "$WORK/synth" "$WORK/gallery" "$N" "$WORK/jobs.jsonl" <<'PY'
import csv, json, os, shutil, sys
src, dst, n, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(os.path.join(src, "data.csv"), newline="", encoding="utf-8") as f:
    rows = sorted(csv.DictReader(f), key=lambda r: r["name"])[:n]
with open(jobs, "w", encoding="utf-8") as out:
    for i, r in enumerate(rows):
        shutil.copy(os.path.join(src, "images", r["name"]), os.path.join(dst, r["name"]))
        with open(os.path.join(dst, os.path.splitext(r["name"])[0] + ".txt"), "w", encoding="utf-8") as t:
            t.write(r["prompt"])
        out.write(json.dumps({"jobId": f"j{i}", "image": {"path": r["name"]}, "prompt": r["prompt"]}) + "\n")
PY

e2e() {
  local out
  out=$(/usr/bin/time -f '%U %S' -o "$WORK/e2e.time" "$CLI" bench e2e -m "$MODEL" -i "$WORK/gallery" -b $BATCH --repeat 1 2> "$WORK/e2e.log")
  python3 - "$out" "$(cat "$WORK/e2e.time")" "$1" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); user, sys_ = map(float, sys.argv[2].split())
print(json.dumps({"what": "engine alone", "when": sys.argv[3], "images": r["images"], "imagesPerSecond": r["images_per_s"],
    "meanBatch": r["mean_batch_size"], "cpuMsPerImage": r["cpu_ms_per_image"], "processCpuSeconds": round(user + sys_, 2), "loadAverage": sys.argv[4]}))
PY
}

WORKER_PID=; EMU_PID=
cleanup() {
  [[ -n "$WORKER_PID" ]] && kill "$WORKER_PID" 2> /dev/null && wait "$WORKER_PID" 2> /dev/null || true
  exec 3>&- 2> /dev/null || true
  [[ -n "$EMU_PID" ]] && kill "$EMU_PID" 2> /dev/null && wait "$EMU_PID" 2> /dev/null || true
}
trap cleanup EXIT
trap "exit 130" INT TERM

# Starts an emulator whose first stdout line is JSON with "listening"; stops when stdin closes.
start_emulator() {
  rm -f "$WORK/emu.stdin"; mkfifo "$WORK/emu.stdin"
  node "$@" < "$WORK/emu.stdin" > "$WORK/emu.json" 2> "$WORK/emu.log" &
  EMU_PID=$!
  exec 3> "$WORK/emu.stdin"
  for _ in $(seq 1 120); do
    grep -q '"listening"' "$WORK/emu.json" 2> /dev/null && return 0
    kill -0 "$EMU_PID" 2> /dev/null || { cat "$WORK/emu.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "emulator did not start" >&2; exit 1
}
stop_emulator() { exec 3>&-; wait "$EMU_PID" 2> /dev/null || true; EMU_PID=; }
emulator_cpu() { local s=0; for p in $(pgrep -P "$EMU_PID") "$EMU_PID"; do s=$(python3 -c "print($s + $(cpu_s "$p"))"); done; echo "$s"; }

azurite() {
  start_emulator "$ROOT/tests/azurite/run.js"
  read -r BLOB_PORT QUEUE_PORT TABLE_PORT < <(python3 -c 'import json, sys; p = json.loads(open(sys.argv[1]).readline()); print(p["blobPort"], p["queuePort"], p["tablePort"])' "$WORK/emu.json")
  ACCOUNT=devstoreaccount1
  KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  CS="DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/$ACCOUNT;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/$ACCOUNT;TableEndpoint=http://127.0.0.1:$TABLE_PORT/$ACCOUNT;"
  "$STORAGE" upload "$CS" images "$WORK/gallery" > /dev/null
}

# run_worker NAME ENV... : starts the worker with the common settings and ENV, waits for N results.
run_worker() {
  local name=$1; shift
  local results="$WORK/$name.results.jsonl"
  env "$@" ${WVE_TRACE:+DOTNET_PerfMapEnabled=1} IpIqa__Model__BundlePath="$MODEL" IpIqa__Model__ExecutionProvider=Cpu IpIqa__Sinks__File__Path="$results" \
    IpIqa__Health__Port=$HEALTH_PORT IpIqa__Health__Address=127.0.0.1 Logging__LogLevel__Default=Warning \
    "$WORKER" > "$WORK/$name.worker.log" 2>&1 &
  WORKER_PID=$!
  local emu0=0; [[ -n "$EMU_PID" ]] && emu0=$(emulator_cpu)
  local waited=0 warm_cpu= lines=0
  until (( lines >= N )); do
    lines=$( [[ -f "$results" ]] && wc -l < "$results" || echo 0)
    if [[ -z "$warm_cpu" ]] && (( lines >= 2 * BATCH )); then
      warm_cpu=$(cpu_s "$WORKER_PID")
      curl -sf "http://127.0.0.1:$HEALTH_PORT/metrics" > "$WORK/$name.metrics.warm" || true
      if [[ -n "${WVE_TRACE:-}" ]]; then
        # CPU samples of the steady state with Linux perf; the JIT's perf map names managed frames.
        perf record -F 499 -g -p "$WORKER_PID" -o "$WORK/$name.perf.data" > "$WORK/$name.trace.log" 2>&1 &
        TRACE_PID=$!
      fi
    fi
    kill -0 "$WORKER_PID" 2> /dev/null || { tail -n 30 "$WORK/$name.worker.log" >&2; exit 1; }
    (( waited++ < TIMEOUT_S * 2 )) || { log "$name: timed out"; tail -n 30 "$WORK/$name.worker.log" >&2; exit 1; }
    sleep 0.5
  done
  local worker_cpu; worker_cpu=$(cpu_s "$WORKER_PID")
  if [[ -n "${TRACE_PID:-}" ]]; then kill -INT "$TRACE_PID" 2> /dev/null || true; wait "$TRACE_PID" 2> /dev/null || true; TRACE_PID=; fi
  local emu=0; [[ -n "$EMU_PID" ]] && emu=$(python3 -c "print(round($(emulator_cpu) - $emu0, 2))")
  curl -sf "http://127.0.0.1:$HEALTH_PORT/metrics" > "$WORK/$name.metrics" || true
  kill "$WORKER_PID"; wait "$WORKER_PID" 2> /dev/null || true; WORKER_PID=
  python3 - "$name" "$results" "$WORK/$name.metrics" "$WORK/$name.metrics.warm" "$N" "$((2 * BATCH))" "$worker_cpu" "$warm_cpu" "$emu" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY' | tee -a "$WORK/rows.jsonl"
import datetime, json, re, sys
name, results, metrics, warm_metrics, n, warm, wcpu, warm_cpu, ecpu, load = sys.argv[1:]
n, warm = int(n), int(warm)
rows = [json.loads(l) for l in open(results, encoding="utf-8")]
errors = [r for r in rows if r.get("error")]
if len(rows) != n or errors or len({r["jobId"] for r in rows}) != n:
    sys.exit(f"{name}: {len(rows)} results, {len(errors)} errors (first: {errors[:1]}), {len({r['jobId'] for r in rows})} distinct jobs")
t = sorted(datetime.datetime.fromisoformat(r["scoredAt"]).timestamp() for r in rows)
rate = (n - warm) / (t[-1] - t[warm - 1])
def read(path):
    try:
        return open(path).read()
    except OSError:
        return ""
text, warm_text = read(metrics), read(warm_metrics)
def metric(m, t=None):
    found = re.findall(rf"^{m}(?:{{[^}}]*}})? ([0-9.e+-]+)(?: [0-9]+)?$", text if t is None else t, re.M)
    return sum(float(v) for v in found) if found else None
s, c = metric("ipiqa_batch_size_sum"), metric("ipiqa_batch_size_count")
print(json.dumps({"what": "worker", "transport": name, "jobs": n, "imagesPerSecond": round(rate, 2),
    "meanBatch": round(s / c, 1) if s and c else None, "workerCpuSeconds": float(wcpu),
    "workerCpuMsPerJobAfterWarmUp": round((float(wcpu) - float(warm_cpu)) / (n - warm) * 1000, 1),
    # Methods compiled after warm-up (tiering up to optimised code): a count, since the runtime's JIT time is wall time.
    "jitMethodsAfterWarmUp": (lambda a, b: int(b - a) if a is not None and b is not None else None)(
        metric("dotnet_jit_compiled_methods_total", warm_text), metric("dotnet_jit_compiled_methods_total")), "emulatorCpuSeconds": float(ecpu),
    "loadAverage": load}))
PY
}

e2e before | tee -a "$WORK/rows.jsonl"
IFS=, read -r -a kinds <<< "$TRANSPORTS"
for kind in "${kinds[@]}"; do
  case "$kind" in
    local)
      run_worker local IpIqa__Transport__Kind=Local IpIqa__Local__JobsPath="$WORK/jobs.jsonl" \
        IpIqa__Local__ImageRoot="$WORK/gallery" IpIqa__Local__ResultsPath="$WORK/local.local-results.jsonl" ;;
    servicebus)
      azurite; AZ_PID=$EMU_PID; exec 4>&3; exec 3>&-
      start_emulator "$ROOT/tests/servicebus-double/server.js" --lock-duration 2m --max-delivery-count 10
      SB_PORT=$(python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["port"])' "$WORK/emu.json")
      SB="Endpoint=sb://127.0.0.1:$SB_PORT;SharedAccessKeyName=x;SharedAccessKey=y;UseDevelopmentEmulator=true"
      "$CLI" rescore --model "$MODEL" --container images --connection-string "$CS" --runs "$WORK/runs-sb" \
        --enqueue --queue-kind ServiceBus --queue jobs --queue-connection-string "$SB" > "$WORK/enqueue-sb.log" 2>&1 \
        || { tail -n 20 "$WORK/enqueue-sb.log" >&2; exit 1; }
      run_worker servicebus IpIqa__Transport__Kind=ServiceBus IpIqa__ServiceBus__ConnectionString="$SB" IpIqa__ServiceBus__QueueName=jobs \
        IpIqa__Blob__ConnectionString="$CS" IpIqa__Blob__AllowedAccounts__0=devstoreaccount1 IpIqa__Blob__AllowedContainers__0=images
      stop_emulator; exec 4>&-; wait "$AZ_PID" 2> /dev/null || true ;;
    storagequeue)
      azurite
      "$STORAGE" create-queue "$CS" jobs
      "$CLI" rescore --model "$MODEL" --container images --connection-string "$CS" --runs "$WORK/runs-sq" \
        --enqueue --queue-kind storage-queue --queue jobs --queue-connection-string "$CS" > "$WORK/enqueue-sq.log" 2>&1 \
        || { tail -n 20 "$WORK/enqueue-sq.log" >&2; exit 1; }
      run_worker storagequeue IpIqa__Transport__Kind=StorageQueue IpIqa__StorageQueue__ConnectionString="$CS" \
        IpIqa__StorageQueue__QueueName=jobs IpIqa__StorageQueue__PoisonQueueName=jobs-poison \
        IpIqa__Blob__ConnectionString="$CS" IpIqa__Blob__AllowedAccounts__0=devstoreaccount1 IpIqa__Blob__AllowedContainers__0=images
      stop_emulator ;;
    *) echo "unknown transport $kind" >&2; exit 2 ;;
  esac
done
e2e after | tee -a "$WORK/rows.jsonl"

python3 - "$WORK/rows.jsonl" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(nproc)" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
engine = [r for r in rows if r["what"] == "engine alone"]
rate = sum(r["imagesPerSecond"] for r in engine) / len(engine)
cpu_ms = sum(r["cpuMsPerImage"] for r in engine) / len(engine)  # the timed pass only
for r in rows:
    if r["what"] != "worker":
        continue
    per_job = r["workerCpuMsPerJobAfterWarmUp"]
    print(json.dumps({"summary": r["transport"], "workerImagesPerSecond": r["imagesPerSecond"], "engineImagesPerSecond": round(rate, 2),
        "ratio": round(r["imagesPerSecond"] / rate, 3), "meanBatch": r["meanBatch"],
        "workerCpuMsPerJob": per_job, "engineCpuMsPerImage": round(cpu_ms, 1),
        "workerAddedCpuMsPerJob": round(per_job - cpu_ms, 1), "jitMethodsAfterWarmUp": r["jitMethodsAfterWarmUp"], "emulatorCpuMsPerJob": round(r["emulatorCpuSeconds"] / r["jobs"] * 1000, 1),
        "cpu": sys.argv[2], "cores": int(sys.argv[3])}))
PY
