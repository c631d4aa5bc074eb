#!/usr/bin/env bash
# CPU of a no-change rerun over a FOLDER with prompt sidecars (#19), builds side by side:
#   bench/rescore-folder-rerun.sh N ROUNDS DLL [DLL...]   (DLL: a build's ipiqa.dll; the last one makes the state)
# The gallery and the synthetic previous run are those of `SOURCE=folder bench/rescore-state.sh rerun N`
# (N hard links of a few sample PNGs in folders of 1,000, each with a hard-linked `.txt` sidecar; the previous
# run is a real 100-image run's record cloned to N keys, so the model never runs). Each round runs every build
# on a fresh copy of that previous run (demo model, --threads 1 --provider Cpu --keep-runs 0), then the same
# build over an empty folder: the process and the model alone, subtracted for the CPU per unchanged image.
# Work folder: $WORK (default /tmp/rescore-state).
set -euo pipefail
n=${1:?image count}; rounds=${2:?rounds}; shift 2
[ $# -ge 1 ] || { echo "name at least one ipiqa.dll" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/rescore-state}
state=$work/rerun-folder-$n
SOURCE=folder WORK=$work CLI_DLL=${!#} "$root/bench/rescore-state.sh" rerun "$n" >/dev/null
rm -rf "$work/prev-folder-$n"; mkdir -p "$work/prev-folder-$n" "$work/empty"
mv "$state/runs/20000101-000000-synth1" "$work/prev-folder-$n/"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'); load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
cpu() { awk -F'[= ]' '{printf "%.2f", $4 + $6}' "$1"; }
declare -A per
for round in $(seq "$rounds"); do
  for dll in "$@"; do
    rm -rf "$state/runs" "$work/empty-runs"; mkdir -p "$state/runs"; cp -r "$work/prev-folder-$n/20000101-000000-synth1" "$state/runs/"
    /usr/bin/time -o "$work/time" -f "wall=%e user=%U sys=%S maxrss=%M" dotnet "$dll" rescore --model "$root/models/demo" --folder "$work/gallery-$n/g" \
      --runs "$state/runs" --threads 1 --provider Cpu --batch-size 16 --keep-runs 0 >"$work/out" 2>/dev/null || true
    grep -q "^$n items: 0 scored now (0 failed), $n skipped" "$work/out" || { echo "unexpected output from $dll:"; cat "$work/out"; exit 1; }
    run=$(cpu "$work/time"); line=$(cat "$work/time")
    /usr/bin/time -o "$work/time" -f "wall=%e user=%U sys=%S maxrss=%M" dotnet "$dll" rescore --model "$root/models/demo" --folder "$work/empty" \
      --runs "$work/empty-runs" --threads 1 --provider Cpu --batch-size 16 --keep-runs 0 >/dev/null 2>&1 || true
    base=$(cpu "$work/time")
    us=$(awk -v r="$run" -v b="$base" -v n="$n" 'BEGIN {printf "%.1f", (r - b) * 1e6 / n}')
    per[$dll]="${per[$dll]:-} $us"
    echo "round $round $dll rerun: $line cpu=$run s; empty folder: cpu=$base s; per unchanged image: $us us; load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
for dll in "$@"; do
  median=$(echo "${per[$dll]}" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "median CPU per unchanged image: $median us ($dll; rounds:${per[$dll]})"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
