#!/usr/bin/env bash
# End to end on CPU: the reference Python path (bench/python/e2e_bench.py) and `ipiqa bench e2e`
# on the same weights, images, thread counts and batch sizes. Each setting runs ROUNDS times,
# alternating the sides; the table keeps each side's best wall figure and best CPU figure.
#
#   bench/side_by_side.sh [WORK_DIR]            (default /tmp/ipiqa-side-by-side)
# Environment: THREADS ("1 2"), BATCHES ("1 8"), COUNT (32 images), LIMIT (images timed, 16),
#   ROUNDS (3), PRESET (rn50), PY_ONLY=1 skips the C# side, CS_ONLY=1 skips the reference,
#   IPIQA / IPIQA_TRAIN: built binaries to use instead of building src/IpIqa.Cli and training/IpIqa.Training in Release.
# Every report is kept as JSON lines in WORK_DIR/reports.jsonl ("side" and "round" added).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/ipiqa-side-by-side}"
fixtures="${IPIQA_FIXTURES:-$root/../shared/fixtures}"
threads="${THREADS:-1 2}"; batches="${BATCHES:-1 8}"; count="${COUNT:-32}"; limit="${LIMIT:-16}"
rounds="${ROUNDS:-3}"; preset="${PRESET:-rn50}"
py=/usr/bin/python3
mkdir -p "$work"

ipiqa="${IPIQA:-$root/src/IpIqa.Cli/bin/Release/net10.0/linux-x64/ipiqa}"
ipiqa_train="${IPIQA_TRAIN:-$root/training/IpIqa.Training/bin/Release/net10.0/linux-x64/ipiqa-train}"
[ -n "${IPIQA:-}" ] || dotnet build "$root/src/IpIqa.Cli" -c Release -v quiet -nologo >/dev/null
[ -n "${IPIQA_TRAIN:-}" ] || dotnet build "$root/training/IpIqa.Training" -c Release -v quiet -nologo >/dev/null

[ -f "$work/images/manifest.jsonl" ] || "$py" "$root/bench/make_images.py" --out "$work/images" --count "$count" --size 1024
[ -f "$work/$preset.safetensors" ] || "$py" "$root/bench/python/make_random_weights.py" --preset "$preset" --out "$work/$preset"
if [ ! -f "$work/$preset-bundle/bundle.json" ]; then
  "$ipiqa_train" export --weights "$work/$preset.safetensors" --config "$work/$preset.config.json" \
    --vocab "$fixtures/clip-bpe/bpe_simple_vocab_16e6.txt.gz" --out "$work/$preset-bundle"
fi

# The same LIMIT images for both sides: a manifest of the first LIMIT entries.
head -n "$limit" "$work/images/manifest.jsonl" > "$work/images/first-$limit.jsonl"
input="$work/images/first-$limit.jsonl"
reports="$work/reports.jsonl"
: > "$reports"

# one JSON line from a report (ours is indented), tagged with the side, the round and the text mode
tag() { "$py" -c 'import json,sys; t=sys.stdin.read(); d=json.loads(t[t.index("{"):t.rindex("}")+1]); d.update(side=sys.argv[1], round=int(sys.argv[2]), text=sys.argv[3]); print(json.dumps(d))' "$@"; }
reference() { # threads batch round text-mode [--cache-text]
  "$py" "$root/bench/python/e2e_bench.py" --weights "$work/$preset.safetensors" --config "$work/$preset.config.json" \
    --input "$input" --threads "$1" --batch-size "$2" "${@:5}" | tag reference "$3" "$4" >> "$reports"
}
ours() { # threads batch round text-mode [--no-text-cache]
  "$ipiqa" bench e2e --model "$work/$preset-bundle" --input "$input" --threads "$1" --batch-size "$2" --repeat 1 "${@:5}" \
    | tag ours "$3" "$4" >> "$reports"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); nproc $(nproc)"
for round in $(seq "$rounds"); do
  for t in $threads; do
    for b in $batches; do
      [ -n "${CS_ONLY:-}" ] || reference "$t" "$b" "$round" per-image
      [ -n "${PY_ONLY:-}" ] || ours "$t" "$b" "$round" per-image --no-text-cache
      [ -n "${CS_ONLY:-}" ] || reference "$t" "$b" "$round" cached --cache-text
      [ -n "${PY_ONLY:-}" ] || ours "$t" "$b" "$round" cached
    done
  done
  echo "round $round done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" "$root/bench/python/side_by_side_table.py" "$reports"
