#!/usr/bin/env bash
# torchrun launcher shared by dist_train.sh and dist_test.sh.
#   bash tools/dist_launch.sh SCRIPT NPROC [SCRIPT args...]
# Multi-node: set NNODES, NODE_RANK, MASTER_ADDR and PORT on every node. PYTHON picks the
# interpreter; by default the repo's .venv (made by `make install`) if there is one.
SCRIPT=$1
NPROC=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
if [ "$SCRIPT" = test.py ]; then ARGS="CONFIG CHECKPOINT NPROC"; else ARGS="CONFIG NPROC"; fi
USAGE="usage: bash tools/dist_${SCRIPT%.py}.sh $ARGS [${SCRIPT} arguments]"

# one line per bad argument, before torchrun (whose own checks end in a bare AssertionError)
refuse() { echo "error: $1=$2 is invalid: expected $3; $USAGE" >&2; exit 2; }
is_count() { case "$1" in ''|*[!0-9]*) return 1 ;; *) [ "$1" -ge "$2" ] ;; esac; }
[ -n "$3" ] || refuse CONFIG "''" "a config file"
case "$NPROC" in auto|cpu|gpu) ;; *) is_count "$NPROC" 1 || \
    refuse NPROC "'$NPROC'" "the processes per node, an int >= 1 (or auto, cpu, gpu)" ;; esac
is_count "$NNODES" 1 || refuse NNODES "'$NNODES'" "the number of nodes, an int >= 1"
{ is_count "$NODE_RANK" 0 && [ "$NODE_RANK" -lt "$NNODES" ]; } || \
    refuse NODE_RANK "'$NODE_RANK'" "this node's rank, an int in [0, NNODES=$NNODES)"
{ is_count "$PORT" 1 && [ "$PORT" -le 65535 ]; } || \
    refuse PORT "'$PORT'" "the rendezvous port, an int in [1, 65535]"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$PYTHON" ]; then
    if [ -x "$REPO/.venv/bin/python" ]; then PYTHON="$REPO/.venv/bin/python"; else PYTHON=python; fi
fi

PYTHONPATH="$REPO":$PYTHONPATH \
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} \
exec $PYTHON -m torch.distributed.run \
    --nnodes=$NNODES \
    --node_rank=$NODE_RANK \
    --master_addr=$MASTER_ADDR \
    --nproc_per_node=$NPROC \
    --master_port=$PORT \
    "$(dirname "$0")/$SCRIPT" \
    "${@:3}" \
    --launcher pytorch
