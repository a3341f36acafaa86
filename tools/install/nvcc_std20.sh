#!/usr/bin/env bash
# nvcc wrapper (PYTORCH_NVCC) for building mmcv 2.1.0's CUDA ops against torch >= 2.8.
# torch's headers need C++20; mmcv's setup.py passes -std=c++17 to nvcc, and nvcc refuses a
# second -std, so every -std is dropped and one -std=c++20 passed (nvcc hands it to the host
# compiler too). REAL_NVCC names the compiler (default: $CUDA_HOME/bin/nvcc, else nvcc).
args=()
for arg in "$@"; do
    case "$arg" in
        -std=*|--std=*) ;;
        *) args+=("$arg") ;;
    esac
done
nvcc=${REAL_NVCC:-${CUDA_HOME:+$CUDA_HOME/bin/nvcc}}
exec "${nvcc:-nvcc}" "${args[@]}" -std=c++20
