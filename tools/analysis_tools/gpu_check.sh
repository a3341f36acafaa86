#!/usr/bin/env bash
# The GPU table in one command: images/s, peak memory, FLOPs per step and MFU of MAE, i-MAE,
# MixedAE, MR-MAE and SemanticMIM at ViT-B/16 224 in bf16 (--amp), and the homologous-attention
# layer against dense SDPA, written as markdown.
#   bash tools/analysis_tools/gpu_check.sh [OUT.md]          (default: work_dirs/gpu_check.md)
# Settings (environment): DEVICE (cuda), BATCH (64), ROUNDS (5), STEPS (10), WARMUP (3),
# PEAK_TFLOPS (the device's dense bf16 peak, if it is not an A100/H100/H200/L40S), CONFIGS
# (space-separated config paths) and ATTENTION_ARGS (extra benchmark.py arguments of the
# attention row; default ViT-B/16: "--tokens 197 --embed-dims 768 --heads 12 --k-ratio 0.25").
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python; fi
fi
OUT=${1:-work_dirs/gpu_check.md}
DEVICE=${DEVICE:-cuda}
BATCH=${BATCH:-64}
COMMON=(--device "$DEVICE" --batch-size "$BATCH" --rounds "${ROUNDS:-5}" --steps "${STEPS:-10}"
        --warmup "${WARMUP:-3}")
if [ -n "${PEAK_TFLOPS:-}" ]; then COMMON+=(--peak-tflops "$PEAK_TFLOPS"); fi
CONFIGS=${CONFIGS:-"configs/mae/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py
configs/imae/imae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py
configs/mixedae/mixedae_vit-base-p16_8xb512-amp-coslr-300e_in1k.py
configs/mrmae/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py
configs/semanticmim/semanticmim-mae_vit-base-p16_8xb256-amp-coslr-300e_in1k.py"}

has_teacher() {  # configs whose teacher weights are not at hand get freshly initialised ones
    "$PYTHON" -c "import sys, mimtoolkit; from mmengine.config import Config
from mimtoolkit.models.targets import teacher_heads
sys.exit(0 if teacher_heads(Config.fromfile(sys.argv[1]).model) else 1)" "$1"
}

mkdir -p "$(dirname "$OUT")"
TABLE=$(mktemp)
for config in $CONFIGS; do
    extra=()
    if has_teacher "$config"; then extra=(--teacher-from-init); fi
    "$PYTHON" tools/analysis_tools/benchmark.py "$config" --amp "${COMMON[@]}" "${extra[@]}" \
        > "$TABLE.run"
    grep '^device:' "$TABLE.run" | head -1 > "$TABLE.device"
    grep '^| ' "$TABLE.run" | grep -v '^| model |' >> "$TABLE"
done
{
    echo "# GPU check ($(date -u +%F))"
    echo
    cat "$TABLE.device"
    echo
    echo '| model | precision | images/s (median) | min-max | peak memory (MiB) | GFLOPs/step | MFU |'
    echo '|---|---|---|---|---|---|---|'
    cat "$TABLE"
    echo
    # shellcheck disable=SC2086
    "$PYTHON" tools/analysis_tools/benchmark.py attention:HomologousAttention \
        --vs attention:DenseAttention --amp --vs-amp "${COMMON[@]}" \
        ${ATTENTION_ARGS:---tokens 197 --embed-dims 768 --heads 12 --k-ratio 0.25}
} > "$OUT"
rm -f "$TABLE" "$TABLE.run" "$TABLE.device"
echo "wrote $OUT"
