"""rank_share / global_rows / rank_mean: a rank's share is its rows of the global batch; i-MAE's
permutation partners in a multi-process run: each rank receives only its images' partners (one
all_to_all of B rows, not an all-gather of the w·B global batch), and mixes exactly what one
process with the global batch mixes."""
import os
from unittest import mock

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import global_rows, rank_mean, rank_share

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
    rows = global_rows(torch.arange(5.)[:, None], torch.tensor([3, 0, 4, 1, 2]))
    assert rows[:, 0].tolist() == [3., 0., 4., 1., 2.]  # the rows it names, no exchange
    values = {'loss': torch.tensor(1.5)}
    assert rank_mean(values) is values


WORLD, BATCH = 3, 4


def global_batch():
    return torch.randn(WORLD * BATCH, 3, 8, 8, generator=torch.Generator().manual_seed(0))


def mix_on_rank(rank: int, init_file: str, out_dir: str) -> None:
    dist.init_process_group('gloo', init_method=f'file://{init_file}', rank=rank,
                            world_size=WORLD)
    received = []
    exchange = dist.all_to_all_single

    def recorded(output, *args, **kwargs):
        received.append(output.numel())
        return exchange(output, *args, **kwargs)

    dist.all_to_all_single = recorded
    torch.manual_seed(11)
    mix = MODELS.build(dict(type='PixelMixer', alpha=0.3))(global_batch()[rank::WORLD])
    torch.save(dict(mixed=mix.mixed, sources=mix.sources, received=received),
               os.path.join(out_dir, f'rank{rank}.pt'))
    dist.destroy_process_group()


def test_ranks_fetch_only_their_partners_and_mix_as_one_process(tmp_path):
    import mimtoolkit  # noqa: F401  (registers the parts in the spawned processes too)
    mp.spawn(mix_on_rank, args=(str(tmp_path / 'init'), str(tmp_path)), nprocs=WORLD)
    torch.manual_seed(11)
    one = MODELS.build(dict(type='PixelMixer', alpha=0.3))(global_batch())
    assert not torch.equal(one.subordinate, one.dominant)  # partners are other images
    image = global_batch()[0].numel()
    for rank in range(WORLD):
        got = torch.load(tmp_path / f'rank{rank}.pt', weights_only=True)
        assert torch.equal(got['mixed'], one.mixed[rank::WORLD])
        assert torch.equal(got['sources'], one.sources[rank::WORLD])
        assert got['received'] == [BATCH * image]  # its B partners, nothing more
