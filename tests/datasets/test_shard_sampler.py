"""ShardSampler: ranks read disjoint shards, the workers of a rank disjoint shard groups;
every epoch covers every image, equal counts per rank, a deterministic order under the seed
(so a resume at an epoch boundary repeats it)."""
import os

import pytest
import torch
from torch.utils.data import DataLoader, get_worker_info

from mimtoolkit.datasets import ShardSampler, TarShardDataset
from mimtoolkit.datasets.samplers import shard_sampler
from mimtoolkit.datasets.shard_writer import write_shards
from mimtoolkit.utils import ConfigError
from .test_tar_shards import photo_folder


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    folder = photo_folder(tmp_path_factory.mktemp('photos') / 'train')
    out = str(tmp_path_factory.mktemp('shards'))
    write_shards(folder, out, max_images=2, seed=0)  # 6 shards of 2 images
    return TarShardDataset(shards=os.path.join(out, '*.tar'))


def sampler_on_rank(monkeypatch, dataset, rank, world, **kwargs):
    monkeypatch.setattr(shard_sampler, 'get_dist_info', lambda: (rank, world))
    return ShardSampler(dataset, seed=7, **kwargs)


def test_ranks_read_disjoint_shards_and_cover_the_epoch(monkeypatch, dataset):
    shard_of = dataset.shard_of_items()
    for world in (1, 2, 3, 4):
        samplers = [sampler_on_rank(monkeypatch, dataset, r, world) for r in range(world)]
        orders = [list(s) for s in samplers]
        assert len({len(o) for o in orders}) == 1 == len({len(s) for s in samplers})
        assert len(orders[0]) == len(samplers[0])
        assert set().union(*orders) == set(range(len(dataset)))  # the whole epoch
        shards = [{shard_of[i] for i in o} for o in orders]
        assert sum(len(s) for s in shards) == len(set().union(*shards))  # disjoint
        padding = world * len(orders[0]) - len(dataset)
        assert padding == sum(len(o) - len(set(o)) for o in orders)  # repeats, own shards


def test_workers_of_a_rank_read_disjoint_shard_groups_through_a_real_dataloader(dataset):
    class Recording(TarShardDataset):
        def __getitem__(self, index):
            return index, get_worker_info().id

    recording = Recording(shards=dataset.shard_files)
    shard_of = dataset.shard_of_items()
    sampler = ShardSampler(recording, seed=1, batch_size=2, num_workers=2)
    loader = DataLoader(recording, batch_size=2, sampler=sampler, num_workers=2)
    read_by = {}
    for indices, workers in loader:
        for index, worker in zip(indices.tolist(), workers.tolist()):
            read_by.setdefault(worker, set()).add(shard_of[index])
    assert sorted(read_by) == [0, 1] and not read_by[0] & read_by[1]
    assert len(read_by[0] | read_by[1]) == 6


def test_the_order_is_the_seed_and_epoch_s(monkeypatch, dataset):
    first = sampler_on_rank(monkeypatch, dataset, 0, 2, batch_size=2, num_workers=2)
    again = sampler_on_rank(monkeypatch, dataset, 0, 2, batch_size=2, num_workers=2)
    epoch0 = list(first)
    first.set_epoch(1)
    again.set_epoch(1)  # a resumed run starts its epoch 1 here
    assert list(first) == list(again) != epoch0
    # shards stay whole and in one block per worker group: shuffled, not interleaved
    unshuffled = sampler_on_rank(monkeypatch, dataset, 0, 1, shuffle=False)
    assert list(unshuffled) == list(range(len(dataset)))


def test_the_runner_gives_the_sampler_the_loader_s_batch_and_workers(dataset):
    from mimtoolkit.engine.runner.mim_runner import MIMRunner
    loader = MIMRunner.build_dataloader(dict(
        batch_size=3, num_workers=2, sampler=dict(type='ShardSampler'),
        dataset=dict(type='TarShardDataset', shards=dataset.shard_files)), seed=0)
    assert (loader.sampler.batch_size, loader.sampler.num_workers) == (3, 2)


def test_bad_use_is_refused(monkeypatch, dataset):
    from mmpretrain.datasets import CustomDataset
    with pytest.raises(ConfigError, match=r"ShardSampler'\) is invalid for a CustomDataset"):
        ShardSampler(CustomDataset(data_root=os.path.dirname(dataset.shard_files[0]),
                                   pipeline=[], lazy_init=True))
    with pytest.raises(ConfigError, match=r'at least one shard per rank; the dataset has 6 '
                       r'shards for 8 ranks'):
        sampler_on_rank(monkeypatch, dataset, 0, 8)
    with pytest.raises(ConfigError, match=r'sampler.batch_size=0 is invalid'):
        ShardSampler(dataset, batch_size=0)


def test_the_shipped_shard_base_trains_from_real_shards(dataset):
    from mmengine.config import Config

    from mimtoolkit.engine.runner.mim_runner import MIMRunner
    cfg = Config.fromfile('configs/_base_/datasets/imagenet_shards_bs512_mim.py')
    loader_cfg = cfg.train_dataloader.to_dict()
    loader_cfg.update(batch_size=2, num_workers=0, persistent_workers=False)
    loader_cfg['dataset'].update(shards=dataset.shard_files, classes=None)
    loader = MIMRunner.build_dataloader(loader_cfg, seed=0)
    batch = next(iter(loader))
    assert batch['inputs'].shape == (2, 3, 224, 224) and batch['inputs'].dtype == torch.uint8
    assert isinstance(loader.sampler, ShardSampler) and len(loader.sampler) == len(dataset)
