#!/usr/bin/env bash
# Preprocessing side by side: `ipiqa bench preprocess` against Pillow + torchvision, single-threaded,
# 1024x1024 JPEG/PNG/WebP inputs to 224 and 512. Each pair runs REPEATS times, alternating; the
# table keeps the best (lowest) figure of each side, which is the least disturbed by other load.
# Usage: bench/run-preprocess.sh [INPUT_DIR] [REPEATS]
set -euo pipefail
# Both sides keep their freed memory (docs/benchmarks.md, "The reference's page faults"); preprocess_bench.py sets these itself too.
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-268435456} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-1073741824}
cd "$(dirname "$0")/.."
inputs=${1:-/tmp/ipiqa-bench}
repeats=${2:-3}
python=${PYTHON:-/usr/bin/python3}

[ -d "$inputs/jpeg" ] || "$python" bench/make_inputs.py "$inputs" --count 8
dotnet build src/IpIqa.Cli -c Release -v quiet -nologo >/dev/null
cli=src/IpIqa.Cli/bin/Release/net10.0/linux-x64/ipiqa

best() { # reads JSON lines, prints the lowest ms_per_image and cpu_ms_per_image
  "$python" -c 'import json,sys; r=[json.loads(l) for l in sys.stdin if l.startswith("{")]; print("%.1f %.1f" % (min(x["ms_per_image"] for x in r), min(x["cpu_ms_per_image"] for x in r)))'
}

echo "| format | size | ours ms/image (cpu) | Pillow+torchvision ms/image (cpu) |"
echo "|---|---|---|---|"
for fmt in jpeg png webp; do
  for size in 224 512; do
    ours=""; theirs=""
    for _ in $(seq "$repeats"); do
      ours+=$("$cli" bench preprocess --input "$inputs/$fmt" --size "$size" --threads 1 --rounds 3)$'\n'
      theirs+=$("$python" bench/python/preprocess_bench.py --input "$inputs/$fmt" --size "$size" --rounds 3)$'\n'
    done
    read -r o oc <<<"$(best <<<"$ours")"
    read -r t tc <<<"$(best <<<"$theirs")"
    echo "| $fmt | $size | $o ($oc) | $t ($tc) |"
  done
done
