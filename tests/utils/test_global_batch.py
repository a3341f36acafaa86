"""rank_share / global_batch / rank_mean: a rank's share is its rows of the global batch."""
from unittest import mock

import torch

from mimtoolkit.utils import global_batch, rank_mean, rank_share

DIST = 'mimtoolkit.utils.global_batch.get_dist_info'


def test_the_ranks_shares_interleave_to_the_single_process_draw():
    torch.manual_seed(3)
    single = rank_share(lambda n: torch.rand(n, 5), 6)
    shares = []
    for rank in range(3):
        torch.manual_seed(3)  # every rank's generator is the same (diff_rank_seed=False)
        with mock.patch(DIST, return_value=(rank, 3)):
            shares.append(rank_share(lambda n: torch.rand(n, 5), 2))
    assert all(s.shape == (2, 5) for s in shares)
    # rank r's row j is the global row j·3 + r
    assert torch.equal(torch.stack(shares, dim=1).flatten(0, 1), single)


def test_one_process_is_untouched():
    x = torch.randn(4, 3)
    pool, rows = global_batch(x)
    assert pool is x and torch.equal(rows, torch.arange(4))
    values = {'loss': torch.tensor(1.5)}
    assert rank_mean(values) is values
