"""Every shipped pretraining config's named losses on one fixed batch (the before/after check).

``tests/config_losses.json`` holds the values the code computed *before* the heads took their
losses as registered parts (generated at commit 7e04396 by ``python -m tests.config_losses``);
``tests/models/losses/test_losses.py`` recomputes them with today's code and requires equality to
float precision. Regenerate the file only for a change that is meant to change a loss.
A config added later gets its values when it is added (``python -m tests.config_losses
--add-missing``, which leaves every other entry as it is): from then on it is held to them.

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

#: Configs added with the loss kind (no "before" to compare with): they swap a loss.
LOSS_SWAPS = ['configs/compose/mrmae-cosine_vit-base-p16_8xb128-amp-coslr-400e_in1k.py',
              'configs/compose/mrmae-cosine_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']


#: Configs added with the device-side augmentation: their parent's model with the data
#: preprocessor that applies the augmentation (tests/models/losses/test_losses.py holds them to it).
DEVICE_AUG = {
    'configs/mae/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k_device-aug.py':
        'configs/mae/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py',
    'configs/beit/beit_vit-base-p16_8xb256-amp-coslr-300e_in1k_device-aug.py':
        'configs/beit/beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py'}


#: The `make demo` config: its parent's model with pixel targets (norm_pix off).
PIXEL_TARGETS = {'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64_demo.py':
                 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'}


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
    """Write :data:`REFERENCE` from the current code (``--add-missing``: only the configs it
    lacks)."""
    import logging
    import time
    from mmengine.logging import MMLogger
    MMLogger.get_current_instance().setLevel(logging.WARNING)  # no init_weights report
    reference = {}
    if '--add-missing' in sys.argv:
        with open(REFERENCE) as f:
            reference = json.load(f)
    with tempfile.TemporaryDirectory() as work_dir:
        cache = {}
        held_to_parents = {*LOSS_SWAPS, *DEVICE_AUG, *PIXEL_TARGETS}
        for path in pretraining_configs():
            if path in reference or path in held_to_parents:
                continue
            start = time.time()
            reference[path] = losses_on_fixed_batch(path, work_dir, cache)
            print(f'{time.time() - start:5.1f}s', path, reference[path], file=sys.stderr,
                  flush=True)
    with open(REFERENCE, 'w') as f:
        json.dump(reference, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
