#!/usr/bin/env bash
# Rescore state at scale (#19): peak RSS, CPU and bytes written of `ipiqa rescore` over a manifest.
#   bench/rescore-state.sh full N      a full run that scores N images (hard links of one sample)
#   bench/rescore-state.sh rerun N     a no-change rerun over N images: the previous run's state is
#                                      synthetic (a real 100-image run's records cloned to N keys, the
#                                      model is not run for them), so the rerun measures listing + merge
#   bench/rescore-state.sh carry N     a FULL run over the same synthetic previous run, made full by a
#                                      new --quality-threshold: it journals every image, writes the full
#                                      results.csv and .parquet and the report, carrying each record
#                                      forward instead of scoring it (the model is loaded, never run)
#   bench/rescore-state.sh kill N      the rerun, SIGKILLed after a random 10-120 s ($KILL_AFTER to
#                                      choose), then run again to the end, then exported with --export:
#                                      checks N rows, N distinct keys, every row carried forward
# SOURCE=folder lists the gallery tree with --folder instead (each image with a hard-linked `.txt` prompt
# sidecar) instead of the manifest.
# Work folder: $WORK (default /tmp/rescore-state). Needs a Release build of src/IpIqa.Cli, or $CLI_DLL
# naming another build's ipiqa.dll (to compare two builds on the same machine).
set -euo pipefail
mode=${1:?full, rerun, carry or kill}; n=${2:?image count}
root=$(cd "$(dirname "$0")/.." && pwd)
source=${SOURCE:-manifest}
gallery=${WORK:-/tmp/rescore-state}/gallery-$n   # built once per N, shared by the modes
work=${WORK:-/tmp/rescore-state}/$mode-$source-$n
cli="dotnet ${CLI_DLL:-$root/src/IpIqa.Cli/bin/Release/net10.0/linux-x64/ipiqa.dll}"
if [ ! -f "$gallery/done" ]; then
  rm -rf "$gallery"; mkdir -p "$gallery/g"
  python3 - "$gallery" "$n" "$root/samples/degraded-blur.png" <<'PY'
import os, sys, json, shutil
work, n, sample = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# A file takes at most 65,000 links: copies of the sample with one write time, so every image has the same version.
seeds = []
for s in range(n // 60000 + 1):
    seeds.append(f"{work}/seed{s}.png"); shutil.copyfile(sample, seeds[-1])
    os.utime(seeds[-1], ns=(os.stat(seeds[0]).st_atime_ns, os.stat(seeds[0]).st_mtime_ns))
    open(f"{work}/seed{s}.txt", "w").write("a blurred photo\n")
    os.utime(f"{work}/seed{s}.txt", ns=(os.stat(seeds[0]).st_atime_ns, os.stat(seeds[0]).st_mtime_ns))
with open(f"{work}/manifest.jsonl", "w") as m:
    for i in range(n):
        d = f"{work}/g/{i // 1000:05d}"
        if i % 1000 == 0: os.makedirs(d, exist_ok=True)
        os.link(seeds[i // 60000], f"{d}/{i:08d}.png")
        os.link(f"{work}/seed{i // 60000}.txt", f"{d}/{i:08d}.txt")
        m.write(json.dumps({"image": f"g/{i // 1000:05d}/{i:08d}.png", "prompt": "a blurred photo"}) + "\n")
PY
  head -100 "$gallery/manifest.jsonl" > "$gallery/m100.jsonl"
  mkdir -p "$gallery/g100/00000"; ln "$gallery"/g/00000/000000[0-9][0-9].* "$gallery/g100/00000/"
  touch "$gallery/done"
fi
rm -rf "$work"; mkdir -p "$work"
listing=(--manifest "$gallery/manifest.jsonl"); first100=(--manifest "$gallery/m100.jsonl")
[ "$source" = folder ] && { listing=(--folder "$gallery/g"); first100=(--folder "$gallery/g100"); }
args=(rescore --model "$root/models/demo" "${listing[@]}" --runs "$work/runs" --threads 1 --provider Cpu --batch-size 16 --keep-runs 0)
if [ "$mode" != full ]; then
  # A real run over the first 100 images gives the record and checkpoint to clone.
  first=("${args[@]}"); first[3]=${first100[0]}; first[4]=${first100[1]}
  $cli "${first[@]}" >/dev/null 2>&1 || true
  python3 - "$work" "$n" "$gallery" "$source" <<'PY'
import json, sys, os, glob, shutil
work, n, gallery, source = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
real = glob.glob(f"{work}/runs/*/run.json")[0]
state = json.load(open(real)); template = json.loads(open(os.path.join(os.path.dirname(real), "journal.jsonl")).readline())
shutil.rmtree(os.path.dirname(real))
state["runId"] = "20000101-000000-synth1"; state["started"] = "2000-01-01T00:00:00+00:00"
by_folder = source == "folder"
state["source"] = "folder:" + os.path.abspath(f"{gallery}/g") if by_folder else "manifest:" + os.path.abspath(f"{gallery}/manifest.jsonl")
folder = f"{work}/runs/{state['runId']}"; os.makedirs(folder)
json.dump(state, open(f"{folder}/run.json", "w"))
with open(f"{folder}/journal.jsonl", "w") as j:
    for i in range(n):
        key = f"g/{i // 1000:05d}/{i:08d}.png"
        j.write(json.dumps(dict(template, key=key[2:] if by_folder else key, location=f"{gallery}/{key}"), separators=(",", ":")) + "\n")
PY
fi
[ "$mode" = carry ] && args+=(--quality-threshold 0.4) # other thresholds: a full run, not a delta
if [ "$mode" = kill ]; then
  delay=${KILL_AFTER:-$(python3 -c 'import random; print(round(random.uniform(10, 120), 1))')}
  $cli "${args[@]}" >"$work/killed.out" 2>&1 & pid=$!
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then killed=yes; else killed=no; fi
  wait "$pid" 2>/dev/null || true
  state=$(ls -d "$work"/runs/2026*/run.json | tail -1)
  echo "SIGKILL after $delay s (killed: $killed), checkpoint: $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["pagesDone"], "pages, token", s.get("continuationToken"))' "$state")"
fi
before=$(du -sb "$work/runs" 2>/dev/null | cut -f1 || echo 0)
echo "$(date -u +%FT%TZ) $mode n=$n load: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "$mode n=$n wall=%e s user=%U s sys=%S s maxrss=%M KiB" $cli "${args[@]}" 2>&1 | grep -E "items:|wall=|^run |error" || true
after=$(du -sb "$work/runs" | cut -f1)
echo "bytes written: $((after - before)); files of the new run:"; ls -l "$(ls -d "$work"/runs/2026* | tail -1)" | tail -n +2
if [ "$mode" = kill ]; then
  id=$(basename "$(ls -d "$work"/runs/2026* | tail -1)")
  $cli "${args[@]}" --export "$id" >/dev/null 2>&1
  python3 - "$work/runs/$id/results.csv" "$n" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
keys = {r["key"] for r in rows}
n = int(sys.argv[2])
print(f"export: {len(rows)} rows, {len(keys)} distinct keys, {sum(r['skipped'] == 'true' for r in rows)} carried from the previous run;",
      "exact" if len(rows) == n and len(keys) == n and all(r["skipped"] == "true" for r in rows) else "NOT EXACT")
PY
fi
