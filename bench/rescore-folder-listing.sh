#!/usr/bin/env bash
# Listing cost of the folder source (#19): CPU of `ipiqa rescore --folder G --dry-run --assumed-rate 100`
# (lists the whole tree, reads every prompt sidecar, loads no model) over a tree of N images in
# folders of 1,000 (hard links of one sample PNG, each with a hard-linked `.txt` prompt), for each
# build given, the builds alternating, ROUNDS rounds. Prints each run and the median per build.
#   bench/rescore-folder-listing.sh N ROUNDS DLL [DLL...]   (DLL: a build's ipiqa.dll)
# Work folder: $WORK (default /tmp/rescore-folder-listing).
set -euo pipefail
n=${1:?image count}; rounds=${2:?rounds}; shift 2
[ $# -ge 1 ] || { echo "name at least one ipiqa.dll" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/rescore-folder-listing}/$n
if [ ! -f "$work/done" ]; then
  rm -rf "$work"; mkdir -p "$work/g"
  python3 - "$work" "$n" "$root/samples/degraded-blur.png" <<'PY'
import os, sys, shutil
work, n, sample = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seeds = []
for s in range(n // 60000 + 1):  # a file takes at most 65,000 links
    seeds.append((f"{work}/seed{s}.png", f"{work}/seed{s}.txt"))
    shutil.copyfile(sample, seeds[-1][0])
    open(seeds[-1][1], "w").write("a blurred photo\n")
for i in range(n):
    d = f"{work}/g/{i // 1000:05d}"
    if i % 1000 == 0: os.makedirs(d, exist_ok=True)
    png, txt = seeds[i // 60000]
    os.link(png, f"{d}/{i:08d}.png"); os.link(txt, f"{d}/{i:08d}.txt")
PY
  touch "$work/done"
fi
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'); load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A cpu
for round in $(seq "$rounds"); do
  for dll in "$@"; do
    /usr/bin/time -o "$work/time" -f "wall=%e user=%U sys=%S maxrss=%M" dotnet "$dll" rescore --model "$root/models/demo" --folder "$work/g" \
      --dry-run --assumed-rate 100 >"$work/out" 2>/dev/null
    line=$(tail -1 "$work/time")
    grep -q "^images: *$n " "$work/out" || { echo "unexpected output from $dll:"; cat "$work/out"; exit 1; }
    used=$(echo "$line" | awk -F'[= ]' '{printf "%.2f", $4 + $6}')
    cpu[$dll]="${cpu[$dll]:-} $used"
    echo "round $round $dll $line cpu=$used s load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
for dll in "$@"; do
  median=$(echo "${cpu[$dll]}" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "median CPU user+sys: $median s ($(awk -v m="$median" -v n="$n" 'BEGIN {printf "%.2f", m * 1e6 / n}') us per image, the process included) $dll"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
