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
from typing import Callable, Dict, TypeVar

import torch
import torch.distributed as dist
from mmengine.dist import all_reduce, get_dist_info

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


def global_rows(inputs: torch.Tensor, sources: torch.Tensor) -> torch.Tensor:
    """For each of this rank's rows, the global batch's row ``sources`` names, fetched from the
    rank that holds it: one ``all_to_all`` of the rows asked for, not the whole global batch.

    Every rank passes the same ``sources`` (drawn from the ranks' common generator), so each
    knows what every other rank asks of it; rank r receives exactly its B rows (an
    all-gather would bring w·B). No gradient flows through the exchange.

    Args:
        inputs (Tensor): (B, ...) this rank's rows (global positions ``j·w + r``).
        sources (Tensor): (w·B,) long, on the CPU: the global position whose row global row
            i asks for (e.g. its mixing partner).

    Returns:
        Tensor: (B, ...) row j is the global batch's row ``sources[j·w + r]``.
    """
    rank, world = get_dist_info()
    batch = inputs.shape[0]
    if world == 1:
        return inputs[sources.to(inputs.device)]
    asked = sources.cpu().view(batch, world)  # [j, d]: what rank d's row j asks for
    owner, local = asked % world, asked // world
    send = [local[:, d][owner[:, d] == rank] for d in range(world)]  # in rank d's row order
    mine = owner[:, rank]
    arrival = torch.argsort(mine, stable=True)  # received grouped by sender, row order within
    payload = inputs.detach()[torch.cat(send).to(inputs.device)].contiguous()
    received = payload.new_empty(inputs.shape)
    dist.all_to_all_single(received, payload,
                           output_split_sizes=torch.bincount(mine, minlength=world).tolist(),
                           input_split_sizes=[len(rows) for rows in send])
    out = torch.empty_like(received)
    out[arrival.to(inputs.device)] = received
    return out


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
