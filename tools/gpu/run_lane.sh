#!/usr/bin/env bash
# The GPU lane: the tests marked `cuda` (and gpu_check.sh's table) on a GPU machine, in about
# 10 minutes. On a bare machine with no network that has Python, torch and nvcc, give the
# folder tools/gpu/prepare_wheels.sh made; with mimtoolkit installed (make install), none:
#   bash tools/gpu/run_lane.sh [WHEELS_DIR] [OUT_DIR]     (OUT_DIR: work_dirs/gpu_lane)
# Steps: install the wheels into LANE_SITE (/tmp/mimtoolkit-site) on PYTHONPATH; build mmcv's
# ops with CUDA kernels for this GPU through tools/install/build_ops.py (make install-ops'
# stage: TORCH_CUDA_ARCH_LIST, default its compute capability; the system nvcc) unless the
# installed ones have CUDA; the tests (pytest -m cuda); gpu_check.sh. Each step's
# output goes to OUT_DIR/<step>.log; the lane's summary is printed and in OUT_DIR/summary.md.
# Without a GPU every lane test is skipped with its reason and the table is left out.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
WHEELS=${1:-}
OUT=${2:-work_dirs/gpu_lane}
PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
SITE=${LANE_SITE:-/tmp/mimtoolkit-site}
mkdir -p "$OUT"
SUMMARY="$OUT/summary.md"
: > "$SUMMARY"
say() { echo "gpu lane: $*" | tee -a "$SUMMARY"; }
step() {  # step NAME COMMAND...: run, log, time, say how it ended
    local name=$1 start=$SECONDS rc; shift
    "$@" > "$OUT/$name.log" 2>&1; rc=$?
    say "$name: exit $rc in $((SECONDS - start)) s (log: $OUT/$name.log)"
    return $rc
}

if [ -n "$WHEELS" ]; then
    step install "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
        --upgrade --target "$SITE" "$WHEELS"/*.whl || exit 1
    export PYTHONPATH="$SITE:$REPO${PYTHONPATH:+:$PYTHONPATH}"
fi
say "$("$PYTHON" - <<'PY'
import torch
gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else 'no CUDA device'
print(f'python {__import__("sys").version.split()[0]}, torch {torch.__version__}, {gpu}')
PY
)"
HAS_CUDA=$("$PYTHON" -c 'import torch; print(int(torch.cuda.is_available()))')
OPS_CUDA=$("$PYTHON" -c 'from mmcv.ops import get_compiling_cuda_version as v
print(int(v() != "not available"))' 2>/dev/null || echo 0)
if [ "$HAS_CUDA" = 1 ] && [ "$OPS_CUDA" = 0 ]; then
    SDIST=$(ls "${WHEELS:-.}"/mmcv-2.1.0.tar.gz 2>/dev/null | head -1)
    if [ -n "$SDIST" ]; then  # make install-ops' stage, from the carried source, into SITE
        step mmcv-ops "$PYTHON" tools/install/build_ops.py --source "$SDIST" --target "$SITE" \
            --log "$OUT/mmcv-ops-build.log" \
            || say "mmcv-ops: not built; the tests that need mmcv's CUDA ops skip"
    else
        say "mmcv-ops: no CUDA build and no mmcv-2.1.0.tar.gz in ${WHEELS:-.}: those tests skip"
    fi
fi
step tests "$PYTHON" -m pytest -q -rs -p no:cacheprovider -m cuda ${LANE_TESTS:-tests/gpu}
TESTS_RC=$?
tail -n 25 "$OUT/tests.log" | sed 's/^/    /' | tee -a "$SUMMARY"
if [ "$HAS_CUDA" = 1 ]; then
    PYTHON="$PYTHON" BATCH=${BATCH:-64} ROUNDS=${ROUNDS:-2} STEPS=${STEPS:-5} \
        step gpu_check bash tools/analysis_tools/gpu_check.sh "$OUT/gpu_check.md" \
        && cat "$OUT/gpu_check.md" | tee -a "$SUMMARY"
else
    say "gpu_check: left out (torch sees no CUDA device)"
fi
exit $TESTS_RC
