"""Random draws and batch-level pairings defined on the global batch, not on a rank's share.

With mmengine's ``DefaultSampler`` rank r of w holds, at step t, the samples at
global positions ``j·w + r`` (j = 0..B−1) of the step's global batch of w·B
samples, in the order one process with batch w·B sees them. So a draw of one
row per sample is made for all w·B rows on every rank (the ranks' generators
are identical: mmengine seeds them alike unless ``randomness.diff_rank_seed``)
and each rank keeps rows ``r::w``; the loss curve then does not depend on how
the global batch is split (docs/reliability.md).
"""
from collections import OrderedDict
from typing import Callable, Dict, Tuple, TypeVar

import torch
from mmengine.dist import all_gather, all_reduce, get_dist_info

T = TypeVar('T')


def rank_share(draw: Callable[[int], T], rows: int) -> T:
    """Draw ``rows`` random rows as this rank's share of a draw for the global batch.

    Args:
        draw (callable): ``draw(n)`` returns n rows (a tensor or a sequence)
            from the ranks' common generator.
        rows (int): The rows of this rank (its per-sample count, e.g. B).

    Returns:
        The rows ``rank::world`` of ``draw(rows · world)`` (``draw(rows)`` in
        one process).
    """
    rank, world = get_dist_info()
    if world == 1:
        return draw(rows)
    return draw(rows * world)[rank::world]


def global_batch(inputs: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """The whole global batch, in one process's order, and where this rank's rows sit in it.

    An all-gather of ``inputs`` (no gradient flows through it), used when a
    batch-level pairing draws partners from the whole global batch.

    Args:
        inputs (Tensor): (B, ...) this rank's samples.

    Returns:
        tuple: (w·B, ...) the global batch and (B,) long positions of this
        rank's rows in it (``arange(B)`` in one process).
    """
    rank, world = get_dist_info()
    rows = torch.arange(inputs.shape[0], device=inputs.device)
    if world == 1:
        return inputs, rows
    gathered = torch.stack(all_gather(inputs.detach().contiguous()), dim=1)  # (B, w, ...)
    return gathered.flatten(0, 1), rows * world + rank


def rank_mean(values: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Logged values averaged over the ranks (one all-reduce), as one process would log them.

    Every rank's losses are means over equally many samples (and masked
    patches: the maskers keep the count per sample), so their average is the
    global batch's loss.

    Args:
        values (dict[str, Tensor]): Scalars, the same keys on every rank.

    Returns:
        dict[str, Tensor]: Detached averages (the input itself in one process).
    """
    if get_dist_info()[1] == 1 or not values:
        return values
    stacked = torch.stack([v.detach().float().reshape(()) for v in values.values()])
    all_reduce(stacked, op='mean')
    return OrderedDict(zip(values, stacked))
