#!/usr/bin/env bash
# End to end on CPU, the reference Python path and `ipiqa bench e2e` on the same weights, images
# and thread counts; prints both JSON reports per setting and the ratio of images per second.
#
#   bench/side_by_side.sh [WORK_DIR]            (default /tmp/ipiqa-side-by-side)
# Environment: THREADS ("1 2"), BATCHES ("1 8"), COUNT (64 images), PRESET (rn50),
#   IPIQA ("dotnet run -c Release --project src/IpIqa.Cli --"),
#   IPIQA_TRAIN ("dotnet run -c Release --project training/IpIqa.Training --"), PY_ONLY=1 skips the C# side.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/ipiqa-side-by-side}"
fixtures="${IPIQA_FIXTURES:-$root/../shared/fixtures}"
threads="${THREADS:-1 2}"; batches="${BATCHES:-1 8}"; count="${COUNT:-64}"; preset="${PRESET:-rn50}"
ipiqa="${IPIQA:-dotnet run -c Release --project $root/src/IpIqa.Cli --}"
ipiqa_train="${IPIQA_TRAIN:-dotnet run -c Release --project $root/training/IpIqa.Training --}"
py=/usr/bin/python3
mkdir -p "$work"

[ -f "$work/images/manifest.jsonl" ] || "$py" "$root/bench/make_images.py" --out "$work/images" --count "$count" --size 1024
[ -f "$work/$preset.safetensors" ] || "$py" "$root/bench/python/make_random_weights.py" --preset "$preset" --out "$work/$preset"
if [ -z "${PY_ONLY:-}" ] && [ ! -f "$work/$preset-bundle/bundle.json" ]; then
  $ipiqa_train export --weights "$work/$preset.safetensors" --config "$work/$preset.config.json" \
    --vocab "$fixtures/clip-bpe/bpe_simple_vocab_16e6.txt.gz" --out "$work/$preset-bundle"
fi

# images per second from a report, whichever key spelling it uses
ips() { "$py" -c 'import json,sys; t=sys.stdin.read(); d=json.loads(t[t.index("{"):t.rindex("}")+1]); print(d.get("images_per_s", d.get("imagesPerSecond")))'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); nproc $(nproc)"
for t in $threads; do
  for b in $batches; do
    ref=$("$py" "$root/bench/python/e2e_bench.py" --weights "$work/$preset.safetensors" --config "$work/$preset.config.json" \
      --input "$work/images" --threads "$t" --batch-size "$b")
    echo "reference t=$t b=$b: $ref"
    [ -n "${PY_ONLY:-}" ] && continue
    ours=$($ipiqa bench e2e --model "$work/$preset-bundle" --input "$work/images" --threads "$t" --batch-size "$b" --repeat 1)
    echo "ipiqa     t=$t b=$b: $(tr -d '\n' <<<"$ours")"
    "$py" -c 'import sys; r, o = float(sys.argv[1]), float(sys.argv[2]); print(f"ratio t={sys.argv[3]} b={sys.argv[4]}: {o / r:.2f}x (target >= 1.5x)")' \
      "$(ips <<<"$ref")" "$(ips <<<"$ours")" "$t" "$b"
  done
done
