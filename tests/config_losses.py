"""Every shipped pretraining config's named losses on one fixed batch (the before/after check).

``tests/config_losses.json`` holds the values the code computed *before* the heads took their
losses as registered parts (generated at commit 7e04396 by ``python -m tests.config_losses``);
``tests/models/test_losses.py`` recomputes them with today's code and requires equality to
float precision. Regenerate the file only for a change that is meant to change a loss.

The batch, the initialisation and the stand-in teacher/tokenizer weights are all seeded, so
the values do not depend on which configs ran before.
"""
import glob
import json
import os.path as osp
import random
import sys
import tempfile
from typing import Dict

import numpy as np
import torch
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
REFERENCE = osp.join(REPO, 'tests', 'config_losses.json')


def pretraining_configs():
    """Repo-relative paths of every shipped pretraining config (method and compose folders)."""
    paths = sorted(glob.glob(osp.join(REPO, 'configs', '*', '*.py')))
    return [osp.relpath(p, REPO) for p in paths if '/_base_/' not in p]


def batch_size(model) -> int:
    """2 (an i-MAE pair), or a MixedAE's group size 1/r."""
    return max(2, getattr(getattr(model, 'mixer', None), 'group_size', 1))


def losses_on_fixed_batch(path: str, work_dir: str, cache: Dict[str, str]) -> Dict[str, float]:
    """Every value a config's model logs (its named losses and their parts) on a seeded batch.

    Args:
        path (str): Repo-relative config path.
        work_dir (str): Where stand-in teacher/tokenizer weights go.
        cache (dict): Stand-in files by architecture (see ``use_stand_in_weights``).

    Returns:
        dict[str, float]: Name to value.
    """
    from mimtoolkit.models.targets import use_stand_in_weights
    from mimtoolkit.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mimtoolkit')
    cfg = Config.fromfile(osp.join(REPO, path))
    torch.manual_seed(1)  # a stand-in written now is the same whatever ran before
    use_stand_in_weights(cfg.model, work_dir, cache)
    torch.manual_seed(0)
    random.seed(0)  # blockwise maskers draw with Python's and numpy's generators
    np.random.seed(0)
    model = MODELS.build(cfg.model).train()  # constructors' init: init_weights costs seconds
    size = model.backbone.img_size
    inputs = torch.randn(batch_size(model), 3, *size)
    with torch.no_grad():
        losses = model.loss(inputs, None)
    return {k: float(v) for k, v in sorted(losses.items())}


def main() -> None:
    """Write :data:`REFERENCE` from the current code."""
    import logging
    import time
    from mmengine.logging import MMLogger
    MMLogger.get_current_instance().setLevel(logging.WARNING)  # no init_weights report
    reference = {}
    with tempfile.TemporaryDirectory() as work_dir:
        cache = {}
        for path in pretraining_configs():
            start = time.time()
            reference[path] = losses_on_fixed_batch(path, work_dir, cache)
            print(f'{time.time() - start:5.1f}s', path, reference[path], file=sys.stderr,
                  flush=True)
    with open(REFERENCE, 'w') as f:
        json.dump(reference, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
