#!/usr/bin/env bash
# Trains the demo bundle (models/demo) end to end on a synthetic set, on CPU:
# synth -> split -> pretrain-clip -> image2prompt -> finetune -> export -> evaluate.
# Usage: scripts/train-demo.sh [WORK_DIR]   (default: out/demo; the bundle goes to models/demo)
# Environment: VOCAB (CLIP BPE file; default tests/fixtures/clip-bpe/..., else models/demo's copy),
#              THREADS (libtorch intra-op threads; 1 is fastest on a busy shared CPU), BUNDLE (output folder),
#              CONFIGS (the stage configs; default configs/demo), VERSION (the bundle's version),
#              TRAIN_BIN (a built ipiqa-train to run instead of building this checkout),
#              PRETRAIN_IMAGES (images per prompt of the pretraining stages' set; default 4, the fine-tuning set).
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${1:-out/demo}
BUNDLE=${BUNDLE:-models/demo}
THREADS=${THREADS:-1}
CONFIGS=${CONFIGS:-configs/demo}
VOCAB=${VOCAB:-tests/fixtures/clip-bpe/bpe_simple_vocab_16e6.txt.gz}
if [[ ! -f "$VOCAB" ]]; then VOCAB=models/demo/bpe_simple_vocab_16e6.txt.gz; fi
if [[ -f "$VOCAB" ]]; then
  mkdir -p "$WORK"
  cp "$VOCAB" "$WORK/bpe_simple_vocab_16e6.txt.gz"   # the bundle gets its own copy
  VOCAB="$WORK/bpe_simple_vocab_16e6.txt.gz"
else
  echo "CLIP BPE vocabulary not found; set VOCAB=path/to/bpe_simple_vocab_16e6.txt.gz" >&2
  exit 1
fi

TRAIN=${TRAIN_BIN:-training/IpIqa.Training/bin/Release/net10.0/linux-x64/ipiqa-train}
if [[ -z "${TRAIN_BIN:-}" ]]; then dotnet build training/IpIqa.Training -c Release -v q -nologo; fi
SET="$WORK/synth"
PRE="$WORK/pretrain-synth"
PRETRAIN_IMAGES=${PRETRAIN_IMAGES:-4}
if [[ "$PRETRAIN_IMAGES" == 4 ]]; then PRE="$SET"; fi
COMMON=(--images "$SET/images" --vocab "$VOCAB" --threads "$THREADS")
# Pretraining leaves out the fine-tuning run's test prompts (docs/training.md).
OFF_TEST=(--finetune-config "$CONFIGS/finetune.json" --finetune-data "$SET/split/train.csv" --finetune-images "$SET/images" --test-overlap exclude)
PRE_COMMON=(--images "$PRE/images" --vocab "$VOCAB" --threads "$THREADS")
start=$(date +%s)
stamp() { echo "== $1 ($(( $(date +%s) - start )) s)"; }

stamp "synth: 1000 prompts x 4 images at 64 px"
rm -rf "$SET" "$PRE" "$WORK/runs"
$TRAIN synth --out "$SET" --prompts 1000 --images-per-prompt 4 --size 64 --seed 0
# With PRETRAIN_IMAGES other than 4, the pretraining set: the same prompts (a seed's prompts do not depend on
# the image count) with that many images each; its first 4 images per prompt are the set above, byte for byte.
if [[ "$PRE" != "$SET" ]]; then
  $TRAIN synth --out "$PRE" --prompts 1000 --images-per-prompt "$PRETRAIN_IMAGES" --size 64 --seed 0
fi

stamp "split: 20% of the prompts held out from every stage"
$TRAIN split --data "$SET/data.csv" --images "$SET/images" --out "$SET/split" --heldout-fraction 0.2 --seed 0
if [[ "$PRE" != "$SET" ]]; then   # the same held-out prompts
  $TRAIN split --data "$PRE/data.csv" --images "$PRE/images" --out "$PRE/split" --heldout-fraction 0.2 --seed 0
fi

stamp "pretrain-clip"
$TRAIN pretrain-clip --data "$PRE/split/train.csv" "${PRE_COMMON[@]}" "${OFF_TEST[@]}" \
  --model-config "$CONFIGS/model.json" --config "$CONFIGS/pretrain-clip.json" --out "$WORK/runs/clip"

stamp "image2prompt"
$TRAIN image2prompt --data "$PRE/split/train.csv" "${PRE_COMMON[@]}" "${OFF_TEST[@]}" \
  --init "$WORK/runs/clip/best" --config "$CONFIGS/image2prompt.json" --out "$WORK/runs/i2p"

stamp "finetune"
$TRAIN finetune --data "$SET/split/train.csv" "${COMMON[@]}" \
  --init "$WORK/runs/i2p/best" --config "$CONFIGS/finetune.json" --out "$WORK/runs/finetune"

stamp "export"
rm -rf "$BUNDLE.new"
BEST="$WORK/runs/finetune/split-0/best"
DATA_NOTE="synthetic shapes (ipiqa-train synth --prompts 1000 --images-per-prompt 4 --size 64 --seed 0), 20% of prompts held out (split --seed 0); scripts/train-demo.sh"
export_bundle() {
  $TRAIN export --weights "$BEST/weights.safetensors" --config "$BEST/config.json" --vocab "$VOCAB" \
    --out "$BUNDLE.new" --name ipiqa-demo --version "${VERSION:-1.2.0}" --data-note "$DATA_NOTE" "$@"
}
export_bundle

stamp "evaluate on the held-out prompts (ONNX Runtime)"
$TRAIN evaluate --model "$BUNDLE.new" --data "$SET/split/heldout.csv" --images "$SET/images" \
  --out "$WORK/heldout_metrics.json" --predictions "$WORK/heldout_predictions.csv" --plots "$WORK/plots" \
  --prompt-swap 4 --threads "$THREADS"

stamp "record the held-out metrics in bundle.json"
export_bundle --metrics "$WORK/heldout_metrics.json"
rm -rf "$BUNDLE" && mv "$BUNDLE.new" "$BUNDLE"
stamp "done"
