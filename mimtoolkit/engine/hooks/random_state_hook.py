"""RandomStateHook: checkpoints carry the random generators, so a resumed run continues exactly."""
import random

import numpy as np
import torch
from mmengine.hooks import Hook

from mimtoolkit.registry import HOOKS


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Saves Python's, numpy's and torch's (CPU and CUDA) generator states in
    every checkpoint and restores them on ``--resume``.

    mmengine restores the model, optimizer, schedulers and the epoch (whose
    sampler order is seeded by seed + epoch), but not the global generators
    that masks, mixing coefficients, partners and augmentations draw from.
    With them restored, a run resumed from an epoch's checkpoint draws what
    the uninterrupted run drew. ``load_from`` (weights only) leaves the
    generators alone. The states are the saving (main) process's; ranks of a
    multi-process run share them exactly when ``randomness.diff_rank_seed``
    is False (the toolkit's default), see docs/reliability.md.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Add ``checkpoint['random_state']``."""
        state = dict(python=random.getstate(), numpy=np.random.get_state(),
                     torch=torch.get_rng_state())
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            state['cuda'] = torch.cuda.get_rng_state_all()
        checkpoint['random_state'] = state

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Restore the generators when resuming."""
        state = checkpoint.get('random_state')
        if state is None or not getattr(runner, '_resume', False):
            return
        random.setstate(state['python'])
        np.random.set_state(state['numpy'])
        torch.set_rng_state(state['torch'])
        if 'cuda' in state and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state['cuda'])
        runner.logger.info('RandomStateHook: restored the python, numpy and torch generators')
