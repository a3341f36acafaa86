#!/usr/bin/env bash
# The small-scale results table (docs/small_scale_results.md): every method and hybrid on
# Fashion-MNIST at one budget, >= 2 seeds (3 for MAE), probed and compared paired with its
# baseline. Resumable: finished runs are skipped. Arguments go to small_scale.py (--help).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python tools/benchmarks/small_scale.py "$@"
