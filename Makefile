# mimtoolkit: `make demo` and `make test` set everything up on first use.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
CONSTRAINTS := tools/install/constraints.txt
STAMP := $(VENV)/.mimtoolkit-installed
FMNIST_ROOT := /usr/share/datasets/fashion-mnist

.PHONY: install install-ops demo test test-fast test-gpu data clean

LOG := $(VENV)/install.log
STAGE := tools/install/stage.sh $(LOG)

# One line per stage with its time; compiler and pip output go to $(LOG).
install: $(STAMP)
	@echo "install: $(VENV) is up to date (install log: $(LOG); delete $(STAMP) to redo)"

# TORCH_INDEX: another torch variant's index (e.g. https://download.pytorch.org/whl/cu126 for a
# driver older than CUDA 13's); default PyPI's torch, a CUDA 13.0 build.
TORCH_INDEX ?=

$(STAMP): setup.cfg requirements.txt $(CONSTRAINTS) tools/install/stage.sh tools/install/openmmlab_deps.txt
	@echo "install: setting up $(VENV) (output in $(LOG))"
	@$(STAGE) 'python env' 'seconds' -- bash -c '(test -x $(PY) || $(PYTHON) -m venv $(VENV)) && \
	  $(PIP) install --upgrade pip wheel "setuptools<80"'
	@$(STAGE) 'torch, torchvision, torchcodec' 'about a minute' -- \
	  $(PIP) install $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) -c $(CONSTRAINTS) torch torchvision torchcodec
	@# mmcv-lite: mmcv 2.1.0 without its compiled ops (pretraining never calls them), a wheel;
	@# make install-ops replaces it with mmcv built with ops
	@$(STAGE) 'mmcv 2.1.0 (no ops)' 'seconds' -- \
	  bash -c '$(PY) -c "import mmcv" 2>/dev/null || $(PIP) install -c $(CONSTRAINTS) mmcv-lite'
	@# the OpenMMLab libraries without their `mmcv` requirement (tools/install/openmmlab_deps.txt)
	@$(STAGE) 'OpenMMLab packages' 'a minute' -- bash -c '\
	  grep -v -E "^(mmcv|mmpretrain|mmsegmentation|mmdet)[<>=]" requirements.txt > $(VENV)/requirements-core.txt && \
	  $(PIP) install -c $(CONSTRAINTS) -r $(VENV)/requirements-core.txt -r tools/install/openmmlab_deps.txt && \
	  $(PIP) install --no-deps -c $(CONSTRAINTS) mmpretrain mmsegmentation mmdet'
	@# `setup.py develop` (not pip's finder-based editable install) puts the repo on the
	@# path with an egg-link, so mmengine finds mimtoolkit/.mim/configs for `mimtoolkit::` bases.
	@$(STAGE) 'mimtoolkit (develop)' 'seconds' -- bash -c \
	  '($(PIP) uninstall -y mimtoolkit 2>/dev/null || true) && $(PY) setup.py develop --no-deps'
	@$(STAGE) 'data (Fashion-MNIST)' 'seconds; optional' -- $(MAKE) --no-print-directory data
	@touch $(STAMP)

# mmcv's compiled ops, which the mmseg/mmdet transfer needs: built once for this host (CUDA
# kernels where torch sees a GPU or FORCE_CUDA=1, for TORCH_CUDA_ARCH_LIST; CPU ones otherwise),
# kept in ~/.cache/mimtoolkit/mmcv-ops; up to date at once when the installed ops fit.
install-ops: install
	@$(PY) tools/install/build_ops.py --log $(LOG)

# Fashion-MNIST from Debian, where apt is available (optional: tests that need
# it skip with the reason, and the dataset says how to get it).
data:
	@if [ ! -d $(FMNIST_ROOT) ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  (apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1)) || \
	  echo "note: could not install dataset-fashion-mnist; Fashion-MNIST configs need it"; fi

DEMO_CONFIG := configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64_demo.py
demo: install
	$(PY) tools/train.py $(DEMO_CONFIG) --work-dir work_dirs/demo --amp
	$(PY) tools/analysis_tools/plot_loss_curves.py work_dirs/demo
	$(PY) tools/analysis_tools/reconstruction_baselines.py $(DEMO_CONFIG) \
	  work_dirs/demo/epoch_20.pth --out-dir work_dirs/demo
	@$(PY) tools/misc/demo_summary.py work_dirs/demo

# one pytest worker per core (2 on the CI machine); TEST_WORKERS=0 runs in one process.
# --dist loadfile keeps a test file on one worker, so its module fixtures (training runs,
# stand-in teachers) are made once. (loadgroup would split files finer, but pytest 9.2 ignores
# the node ids xdist 3.8 rewrites for it.) Files go out in collection order, slow files first
# (tests/conftest.py: slow_files_first), not xdist's most-tests-first, which left the long
# end-to-end files to one worker at the end.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: install-ops
	$(PYTEST) tests

test-fast: install-ops
	$(PYTEST) -m "not slow" tests

# The GPU lane (tests marked `cuda`, in tests/gpu): each skipped with its reason where torch
# sees no GPU. On a bare GPU machine: tools/gpu/prepare_wheels.sh, then tools/gpu/run_lane.sh.
test-gpu: install-ops
	$(PY) -m pytest -q -rs -p no:cacheprovider -m cuda tests/gpu

clean:
	rm -rf work_dirs build *.egg-info
