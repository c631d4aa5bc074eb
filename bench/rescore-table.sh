#!/usr/bin/env bash
# The #19 table (docs/rescoring.md): a full run, then a no-change rerun, of `ipiqa rescore --folder` over a tree of
# N images in folders of 1,000: hard links of the 10 samples/*.png, each with its .txt prompt linked beside it
# (demo model, --threads 1 --provider Cpu --batch-size 16 --keep-runs 0). Prints wall, CPU, peak RSS and the bytes
# each run added to --runs, and every 30 s of the full run its RSS and progress (the RSS curve).
#   bench/rescore-table.sh N [DLL]     (DLL: a build's ipiqa.dll, default this tree's Release build)
# Work folder: $WORK (default /tmp/rescore-table).
set -euo pipefail
n=${1:?image count}
root=$(cd "$(dirname "$0")/.." && pwd)
dll=${2:-$root/src/IpIqa.Cli/bin/Release/net10.0/linux-x64/ipiqa.dll}
work=${WORK:-/tmp/rescore-table}/$n
if [ ! -f "$work/done" ]; then
  rm -rf "$work"; mkdir -p "$work/g"
  python3 - "$work" "$n" "$root/samples" <<'PY'
import os, sys, glob
work, n, samples = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pngs = sorted(glob.glob(f"{samples}/*.png"))  # each file takes at most 65,000 links
assert n <= len(pngs) * 60000, "too many images for the samples' links"
for i in range(n):
    d = f"{work}/g/{i // 1000:05d}"
    if i % 1000 == 0: os.makedirs(d, exist_ok=True)
    png = pngs[i % len(pngs)]
    os.link(png, f"{d}/{i:08d}.png"); os.link(png[:-4] + ".txt", f"{d}/{i:08d}.txt")
PY
  touch "$work/done"
fi
rm -rf "$work/runs"; mkdir -p "$work/runs"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'); images: $n; build: $dll"
for run in full rerun; do
  before=$(du -sb "$work/runs" | cut -f1)
  echo "$run: load at start $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -o "$work/time" -f "wall=%e s user=%U s sys=%S s maxrss=%M KiB" dotnet "$dll" rescore --model "$root/models/demo" --folder "$work/g" \
    --runs "$work/runs" --threads 1 --provider Cpu --batch-size 16 --keep-runs 0 >"$work/$run.out" 2>"$work/$run.err" &
  pid=$!; start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    sleep 30
    child=$(pgrep -P "$pid" | head -1 || true)
    [ -n "$child" ] && echo "  t=$((SECONDS - start)) s rss=$(ps -o rss= -p "$child" 2>/dev/null | tr -d ' ') KiB $(tail -1 "$work/$run.err" 2>/dev/null)"
  done
  wait "$pid" || true
  after=$(du -sb "$work/runs" | cut -f1)
  echo "$run n=$n $(cat "$work/time") bytes_written=$((after - before)) load_at_end=$(cut -d' ' -f1 /proc/loadavg)"
  grep -E "items:" "$work/$run.out" || { cat "$work/$run.out" "$work/$run.err"; exit 1; }
done
