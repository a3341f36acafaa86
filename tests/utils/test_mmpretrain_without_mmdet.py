"""A pretraining process imports neither mmdet's nor mmseg's models (nor SciPy/scikit-learn
through them): a third of every tool's start-up. A detection config still gets them, and
mmpretrain's one mmdet-based layer registers when a config imports its module."""
import subprocess
import sys

from ..conftest import REPO, tool_env

HEAVY = ('mmdet.models', 'mmseg.models', 'sklearn', 'scipy')

#: Run in a fresh interpreter: this worker has imported everything already.
SCRIPT = f"""
import importlib, sys
import mimtoolkit
from mimtoolkit.parts.tiny_examples import tiny_mae_cfg
from mimtoolkit.registry import MODELS
MODELS.build(tiny_mae_cfg())  # every part of a pretrainer built, its loss checked
print('pretraining:', sorted(m for m in {HEAVY!r} if m in sys.modules))
assert MODELS.get('ViTPyramidNeck') is not None  # a transfer part: mmseg and mmdet load
from mmdet.models.backbones import ResNet
from mmdet.registry import MODELS as MMDET_MODELS
layer = importlib.import_module('mmpretrain.models.utils.res_layer_extra_norm')
assert MMDET_MODELS.get('ResLayerExtraNorm') is layer.ResLayerExtraNorm is not None
print('transfer:', sorted(m for m in ('mmdet.models', 'mmseg.models') if m in sys.modules))
"""


def test_pretraining_imports_no_detection_stack_and_transfer_still_gets_it():
    proc = subprocess.run([sys.executable, '-c', SCRIPT], cwd=REPO, env=tool_env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert 'pretraining: []' in lines, proc.stdout
    assert "transfer: ['mmdet.models', 'mmseg.models']" in lines, proc.stdout
