#!/usr/bin/env bash
# Worker overhead: end-to-end images/s of ipiqa-worker (Storage Queue transport, table sink, all on
# a local Azurite) against `ipiqa score` on the same images read from local files, with the demo
# model and default batch settings on both sides.
#
# usage: bash bench/worker-overhead.sh [N=500] [ROUNDS=1] [WORK=/tmp/ipiqa-overhead]
#
# Each round enqueues the N jobs afresh (`ipiqa rescore --enqueue`) on a new queue, then times the
# worker from its start until the results table holds N rows, then times `ipiqa score` over the
# gallery folder. Both times include process start and model load. Prints one JSON line per round
# and a summary line with the best round of each side and their ratio. Needs .NET 10, Node and
# python3; everything listens on 127.0.0.1.
set -euo pipefail

N=${1:-500}
ROUNDS=${2:-1}
WORK=${3:-/tmp/ipiqa-overhead}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODEL="$ROOT/models/demo"
BIN=bin/Release/net10.0/linux-x64
WORKER="$ROOT/src/IpIqa.Worker/$BIN/ipiqa-worker"
CLI="$ROOT/src/IpIqa.Cli/$BIN/ipiqa"
TRAIN="$ROOT/training/IpIqa.Training/$BIN/ipiqa-train"
STORAGE="$ROOT/bench/tools/OverheadStorage/$BIN/overhead-storage"
TIMEOUT_S=${OVERHEAD_TIMEOUT_S:-1800}

log() { echo "[overhead] $*" >&2; }
now() { date +%s.%N; }
# CPU seconds (user + system) a process has used so far, from /proc.
cpu_s() { python3 -c "import os, sys; f = open(f'/proc/{sys.argv[1]}/stat').read().rsplit(')', 1)[1].split(); print((int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK'))" "$1"; }
# Runs a command with its output to a log file; prints the CPU seconds it used; keeps its exit code.
run_cpu() {
  python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "w") as log:
    rc = subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.2f}")
sys.exit(rc)' "$@"
}
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

if ! [[ "$N" =~ ^[1-9][0-9]*$ && "$ROUNDS" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bash bench/worker-overhead.sh [N>0] [ROUNDS>0] [WORK]" >&2
  exit 2
fi

log "building in Release"
for project in src/IpIqa.Worker src/IpIqa.Cli training/IpIqa.Training bench/tools/OverheadStorage; do
  dotnet build -c Release "$ROOT/$project" -v quiet -nologo > "$WORK.build.log" 2>&1 \
    || { tail -n 30 "$WORK.build.log" >&2; exit 1; }
done

if [[ -e "$WORK" && ! -e "$WORK/.worker-overhead" ]]; then
  echo "$WORK exists and was not made by this script; give another WORK folder" >&2
  exit 2
fi
rm -rf "$WORK"
mkdir -p "$WORK/gallery"
touch "$WORK/.worker-overhead"
PROMPTS=$(( (N + 3) / 4 ))
log "making $N images (64 px, 4 per prompt)"
"$TRAIN" synth --out "$WORK/synth" --prompts "$PROMPTS" --images-per-prompt 4 --size 64 --seed 0 > "$WORK/synth.log" 2>&1
# The gallery: the first N images with same-named .txt prompts (the layout `ipiqa score` reads).
python3 - "$WORK/synth" "$WORK/gallery" "$N" <<'PY'
import csv, os, shutil, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(os.path.join(src, "data.csv"), newline="", encoding="utf-8") as f:
    rows = sorted(csv.DictReader(f), key=lambda r: r["name"])[:n]
if len(rows) != n:
    sys.exit(f"synth made {len(rows)} images, expected {n}")
for r in rows:
    shutil.copy(os.path.join(src, "images", r["name"]), os.path.join(dst, r["name"]))
    with open(os.path.join(dst, os.path.splitext(r["name"])[0] + ".txt"), "w", encoding="utf-8") as t:
        t.write(r["prompt"])
PY

# Azurite: the pinned copy, in memory, ephemeral ports; it stops when its standard input closes.
if [[ ! -d "$ROOT/tests/azurite/node_modules/azurite" ]]; then
  log "installing the pinned Azurite (npm ci)"
  (cd "$ROOT/tests/azurite" && npm ci --no-audit --no-fund --loglevel=error)
fi
mkfifo "$WORK/azurite.stdin"
node "$ROOT/tests/azurite/run.js" < "$WORK/azurite.stdin" > "$WORK/azurite.json" 2> "$WORK/azurite.log" &
AZURITE_PID=$!
exec 3> "$WORK/azurite.stdin"
WORKER_PID=
cleanup() {
  if [[ -n "$WORKER_PID" ]] && kill -0 "$WORKER_PID" 2> /dev/null; then kill "$WORKER_PID" 2> /dev/null || true; wait "$WORKER_PID" 2> /dev/null || true; fi
  exec 3>&- || true
  if kill -0 "$AZURITE_PID" 2> /dev/null; then kill "$AZURITE_PID" 2> /dev/null || true; fi
  wait "$AZURITE_PID" 2> /dev/null || true
}
trap cleanup EXIT
trap "exit 130" INT TERM
for _ in $(seq 1 120); do
  grep -q '"listening"' "$WORK/azurite.json" 2> /dev/null && break
  kill -0 "$AZURITE_PID" 2> /dev/null || { cat "$WORK/azurite.log" >&2; exit 1; }
  sleep 0.5
done
read -r BLOB_PORT QUEUE_PORT TABLE_PORT < <(python3 -c '
import json, sys
p = json.loads(open(sys.argv[1]).readline())
print(p["blobPort"], p["queuePort"], p["tablePort"])' "$WORK/azurite.json")
ACCOUNT=devstoreaccount1
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
CS="DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/$ACCOUNT;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/$ACCOUNT;TableEndpoint=http://127.0.0.1:$TABLE_PORT/$ACCOUNT;"
AZURITE_NODE=$(pgrep -P "$AZURITE_PID" node)
log "Azurite on 127.0.0.1 (blob $BLOB_PORT, queue $QUEUE_PORT, table $TABLE_PORT)"

"$STORAGE" upload "$CS" images "$WORK/gallery" >&2

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
SUMMARY="$WORK/rounds.jsonl"
: > "$SUMMARY"
for round in $(seq 1 "$ROUNDS"); do
  QUEUE="jobs$round"
  TABLE="results$round"
  "$STORAGE" create-queue "$CS" "$QUEUE"
  t0=$(now)
  "$CLI" rescore --model "$MODEL" --container images --connection-string "$CS" --runs "$WORK/runs$round" \
    --enqueue --queue-kind storage-queue --queue "$QUEUE" --queue-connection-string "$CS" > "$WORK/enqueue$round.log" 2>&1 \
    || { tail -n 20 "$WORK/enqueue$round.log" >&2; exit 1; }
  enqueue_s=$(elapsed "$t0" "$(now)")
  log "round $round: enqueued on $QUEUE in $enqueue_s s; starting the worker"

  azurite_cpu0=$(cpu_s "$AZURITE_NODE")
  t0=$(now)
  IpIqa__Model__BundlePath="$MODEL" \
  IpIqa__Transport__Kind=StorageQueue \
  IpIqa__StorageQueue__ConnectionString="$CS" \
  IpIqa__StorageQueue__QueueName="$QUEUE" \
  IpIqa__StorageQueue__PoisonQueueName="$QUEUE-poison" \
  IpIqa__Blob__ConnectionString="$CS" \
  IpIqa__Blob__AllowedAccounts__0="$ACCOUNT" \
  IpIqa__Blob__AllowedContainers__0=images \
  IpIqa__Sinks__Table__Enabled=true \
  IpIqa__Sinks__Table__ConnectionString="$CS" \
  IpIqa__Sinks__Table__TableName="$TABLE" \
  IpIqa__Health__Port=0 \
  Logging__LogLevel__Default=Warning \
    "$WORKER" > "$WORK/worker$round.log" 2>&1 &
  WORKER_PID=$!
  rows=$("$STORAGE" wait-rows "$CS" "$QUEUE" "$TABLE" "$N" "$TIMEOUT_S") || { log "worker did not finish"; tail -n 30 "$WORK/worker$round.log" >&2; exit 1; }
  worker_s=$(elapsed "$t0" "$(now)")
  worker_cpu=$(cpu_s "$WORKER_PID")
  azurite_cpu=$(elapsed "$azurite_cpu0" "$(cpu_s "$AZURITE_NODE")")
  kill "$WORKER_PID"; wait "$WORKER_PID" || true; WORKER_PID=
  log "round $round: worker $worker_s s ($worker_cpu s CPU; Azurite $azurite_cpu s CPU meanwhile), $rows"

  t0=$(now)
  score_cpu=$(run_cpu "$WORK/score$round.log" "$CLI" score --model "$MODEL" --input "$WORK/gallery" --out "$WORK/score$round.jsonl") \
    || { tail -n 20 "$WORK/score$round.log" >&2; exit 1; }
  score_s=$(elapsed "$t0" "$(now)")
  scored=$(wc -l < "$WORK/score$round.jsonl")
  log "round $round: ipiqa score $score_s s ($score_cpu s CPU), $scored lines"
  # Same images, same model: the worker's table rows must carry the scores `ipiqa score` gives.
  "$STORAGE" export-rows "$CS" "$TABLE" "$WORK/worker$round.jsonl"
  max_diff=$(python3 - "$WORK/worker$round.jsonl" "$WORK/score$round.jsonl" "$N" <<'PY'
import json, sys
worker = {r["image"]: r for r in map(json.loads, open(sys.argv[1]))}
# `ipiqa score` writes the image as {"path": ...} (schema v1 results), the table rows as a name.
score = {(r["image"]["path"] if isinstance(r["image"], dict) else r["image"]): r["scores"] for r in map(json.loads, open(sys.argv[2]))}
bad = [k for k, r in worker.items() if r["error"] or k not in score]
if bad or len(worker) != int(sys.argv[3]) or set(worker) != set(score):
    sys.exit(f"worker rows and ipiqa score results differ: {len(worker)} rows, {len(score)} results, unmatched or failed {bad[:5]}")
print(f'{max(abs(worker[k][m] - score[k][m]) for k in worker for m in ("quality", "alignment")):.2e}')
PY
)
  log "round $round: largest |worker - score| difference $max_diff"

  python3 - "$round" "$N" "$enqueue_s" "$worker_s" "$score_s" "$scored" "$rows" "$max_diff" "$worker_cpu" "$azurite_cpu" "$score_cpu" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY' | tee -a "$SUMMARY"
import json, sys
r, n, enq, w, s, scored, rows, diff, wcpu, acpu, scpu, load = sys.argv[1:]
n, w, s = int(n), float(w), float(s)
rows = json.loads(rows)
print(json.dumps({"round": int(r), "n": n, "enqueueSeconds": float(enq),
    "worker": {"seconds": w, "imagesPerSecond": round(n / w, 2), "tableRows": rows["rows"], "errorRows": rows["errors"],
        "cpuSeconds": float(wcpu), "azuriteCpuSeconds": float(acpu)},
    "score": {"seconds": s, "imagesPerSecond": round(n / s, 2), "resultLines": int(scored), "cpuSeconds": float(scpu)},
    "workerOverScore": round((n / w) / (n / s), 3), "maxScoreDifference": float(diff), "loadAverage": load}))
PY
done

python3 - "$SUMMARY" "$N" "$LOAD_START" "$(nproc)" <<'PY'
import json, sys
rounds = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
w = min(r["worker"]["seconds"] for r in rounds)
s = min(r["score"]["seconds"] for r in rounds)
print(json.dumps({"summary": "best of each side", "n": n, "rounds": len(rounds), "cores": int(sys.argv[4]),
    "loadAverageAtStart": sys.argv[3],
    "workerImagesPerSecond": round(n / w, 2), "scoreImagesPerSecond": round(n / s, 2),
    "workerOverScore": round(s / w, 3)}))
PY
