#!/usr/bin/env bash
# Packs ipiqa and ipiqa-train as .NET tools, installs them from that local folder into a fresh tool
# path, and runs them: --version, and ipiqa score on the bundled samples with the demo model.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet pack src/IpIqa.Cli -c Release -o "$work/pack" --nologo -v quiet
dotnet pack training/IpIqa.Training -c Release -o "$work/pack" --nologo -v quiet
dotnet tool install IpIqa.Cli --tool-path "$work/tools" --add-source "$work/pack"
dotnet tool install IpIqa.Training --tool-path "$work/tools" --add-source "$work/pack"
"$work/tools/ipiqa" --version
"$work/tools/ipiqa-train" --version
"$work/tools/ipiqa" score --model models/demo --input samples --out "$work/scores.jsonl"
lines=$(wc -l <"$work/scores.jsonl")
if [ "$lines" -ne "$(find samples -maxdepth 1 -name '*.png' | wc -l)" ]; then
  echo "tools: the installed ipiqa wrote $lines results for the samples" >&2
  exit 1
fi
echo "tools: ipiqa and ipiqa-train install from a local pack and run ($lines samples scored)"
