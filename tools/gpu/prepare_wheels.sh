#!/usr/bin/env bash
# Prepare, on a machine with registry access, the folder of wheels the GPU lane installs on a
# GPU machine with no network (Python 3.12, x86-64, torch and nvcc already there):
#   bash tools/gpu/prepare_wheels.sh [DIR]        (default: .whl, ignored by git)
# Then on the GPU machine:  bash tools/gpu/run_lane.sh DIR [OUT_DIR]
# Packages: tools/gpu/lane_packages.txt (wheels, --no-deps), plus mmcv 2.1.0's source.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
DIR=${1:-$REPO/.whl}
cd "$REPO"
PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
PY_VERSION=${LANE_PYTHON_VERSION:-3.12}
mkdir -p "$DIR"
platforms=()
for tag in manylinux_2_28 manylinux_2_27 manylinux_2_24 manylinux_2_17 manylinux2014 manylinux1; do
    platforms+=(--platform "${tag}_x86_64")
done
grep -v '^#' "$REPO/tools/gpu/lane_packages.txt" | while read -r spec; do
    [ -n "$spec" ] || continue
    "$PYTHON" -m pip download -q --no-deps --only-binary=:all: --python-version "$PY_VERSION" \
        --implementation cp "${platforms[@]}" -d "$DIR" "$spec" \
        || { echo "prepare_wheels: no cp${PY_VERSION/./} x86-64 wheel of $spec" >&2; exit 1; }
done
# the source as published (its metadata step imports torch and pkg_resources: the toolkit's
# environment has both)
"$PYTHON" -m pip download -q --no-deps --no-binary=:all: --no-build-isolation -d "$DIR" \
    mmcv==2.1.0
echo "prepare_wheels: $(ls "$DIR" | wc -l) files, $(du -sh "$DIR" | cut -f1) in $DIR"
