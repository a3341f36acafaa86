"""RandomStateHook: checkpoints carry every rank's random generators, so a resumed run continues
exactly."""
import random
from typing import List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_dist_info
from mmengine.hooks import Hook

from mimtoolkit.registry import HOOKS


def _to_bytes(state: torch.Tensor) -> bytes:
    """A generator state (a uint8 tensor on any device) as bytes, which ``map_location`` leaves
    alone (torch accepts only CPU byte tensors as generator states)."""
    return bytes(state.cpu().numpy())


def _to_state(saved) -> torch.Tensor:
    """The CPU byte tensor ``torch.set_rng_state`` takes, from saved bytes or (checkpoints
    written before the states were bytes) a uint8 tensor on whatever device it was loaded to."""
    if isinstance(saved, (bytes, bytearray)):
        return torch.frombuffer(bytearray(saved), dtype=torch.uint8)
    return saved.to('cpu', torch.uint8)


def own_random_state() -> dict:
    """This process's generator states: Python's, numpy's, torch's CPU one and, where this
    process has initialised CUDA, its current device's (the GPU this rank trains on)."""
    state = dict(python=random.getstate(), numpy=np.random.get_state(),
                 torch=_to_bytes(torch.get_rng_state()))
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = _to_bytes(torch.cuda.get_rng_state())
    return state


def gather_random_states() -> List[dict]:
    """Every rank's :func:`own_random_state`, in rank order (a collective: every rank calls it).

    Returns:
        list[dict]: One state per rank (one in a single process).
    """
    if get_dist_info()[1] == 1:
        return [own_random_state()]
    return all_gather_object(own_random_state())


def restore_random_state(state: dict) -> None:
    """Set this process's generators to ``state`` (from :func:`own_random_state`)."""
    random.setstate(state['python'])
    np.random.set_state(state['numpy'])
    torch.set_rng_state(_to_state(state['torch']))
    cuda = state.get('cuda')
    if isinstance(cuda, (list, tuple)):  # before: every device's state, from rank 0
        cuda = cuda[torch.cuda.current_device()] if torch.cuda.is_available() else None
    if cuda is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state(_to_state(cuda))


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Saves every rank's Python, numpy and torch (CPU and its own CUDA device) generator
    states in each checkpoint and restores each rank's own on ``--resume``.

    mmengine restores the model, optimizer, schedulers and the epoch (whose
    sampler order is seeded by seed + epoch), but not the global generators
    that masks, mixing coefficients, partners and augmentations draw from.
    With them restored, a run resumed from an epoch's checkpoint draws what
    the uninterrupted run drew, on every rank.

    - Only the main process writes a checkpoint, so the states of all ranks
      are gathered first: :class:`~mimtoolkit.engine.runner.MIMRunner`'s
      ``save_checkpoint``, which every rank calls, does it
      (:func:`gather_random_states`, one ``all_gather_object`` per saved
      checkpoint) and hands them to this hook in ``runner.rank_random_states``.
      Under another runner the main process saves its own states only (a
      resume of a multi-process run is then exact only where the ranks'
      generators are alike: ``randomness.diff_rank_seed=False``).
    - The states are stored as bytes, so the checkpoint loads onto any device
      (mmengine resumes with ``map_location`` = the GPU, and torch takes only
      CPU byte tensors as generator states). Checkpoints from before, with
      one tensor state for every rank, still resume.
    - Rank r restores state r. A run resumed on another number of processes
      restores state ``r % saved`` and says so.

    ``load_from`` (weights only) leaves the generators alone.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Add ``checkpoint['random_state'] = dict(ranks=[state of rank 0, ...])``."""
        states: Optional[List[dict]] = getattr(runner, 'rank_random_states', None)
        checkpoint['random_state'] = dict(ranks=states or [own_random_state()])

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Restore this rank's generators when resuming."""
        saved = checkpoint.get('random_state')
        if saved is None or not getattr(runner, '_resume', False):
            return
        ranks = saved['ranks'] if 'ranks' in saved else [saved]
        rank, world = get_dist_info()
        restore_random_state(ranks[rank % len(ranks)])
        note = ('' if len(ranks) == world else
                f' (the checkpoint holds {len(ranks)} ranks\' states, this run has {world}: '
                f'rank {rank} took state {rank % len(ranks)})')
        runner.logger.info('RandomStateHook: restored the python, numpy and torch generators'
                           + note)
