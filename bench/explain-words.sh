#!/usr/bin/env bash
# score --explain --explain-words against plain score, for a bundle without its head graph and the same bundle
# with it, interleaved (#15). Prompts: each of samples/' prompts plus "and clean background" (11 words).
# Usage: bench/explain-words.sh BUNDLE_WITH_HEAD [COPIES] [REPS]
#   COPIES: copies of the 10 samples (default 3: 30 images); REPS: rounds (default 3).
# The bundle without a head graph is a copy of BUNDLE_WITH_HEAD (hard links) whose bundle.json lists none:
# the path every bundle exported before head graphs takes. Prints CPU ms per image (user + sys over images,
# model load included) and wall seconds; compare the columns of one run, the machine's load moves absolute figures.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH=$(realpath "$1"); COPIES=${2:-3}; REPS=${3:-3}
IPIQA=${IPIQA:-src/IpIqa.Cli/bin/Release/net10.0/linux-x64/ipiqa}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/in" "$WORK/without"
for f in "$WITH"/*; do [[ $(basename "$f") == head.onnx ]] || ln "$f" "$WORK/without/" 2>/dev/null || cp "$f" "$WORK/without/"; done
rm "$WORK/without/bundle.json"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m["graphs"].pop("head", None); json.dump(m, open(sys.argv[2], "w"), indent=2)' \
  "$WITH/bundle.json" "$WORK/without/bundle.json"
for c in $(seq "$COPIES"); do
  for f in samples/*.png; do
    n=$(basename "$f" .png); cp "$f" "$WORK/in/$n-$c.png"
    echo "$(cat "samples/$n.txt") and clean background" > "$WORK/in/$n-$c.txt"
  done
done
N=$(ls "$WORK"/in/*.png | wc -l)
TIMEFORMAT='%U %S %R'
uptime
for rep in $(seq "$REPS"); do
  for b in without with; do
    folder=$WORK/without; [[ $b == with ]] && folder=$WITH
    for mode in plain words; do
      extra=(); rm -rf "$WORK/x"
      [[ $mode == words ]] && extra=(--explain "$WORK/x" --explain-words)
      t=$( { time nice -n 10 "$IPIQA" score --model "$folder" --input "$WORK/in" --out "$WORK/r.jsonl" -t 1 "${extra[@]}" >/dev/null 2>&1; } 2>&1 )
      read -r u s r <<<"$t"
      echo "$rep head=$b $mode images=$N cpu_ms_per_image=$(python3 -c "print(round(($u+$s)*1000/$N,1))") wall_s=$r"
    done
  done
done
uptime
