"""ShardSampler: disjoint tar shards per rank and per dataloader worker, epoch-exact."""
import math
from typing import Dict, Iterator, List, Sequence

import torch
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from mimtoolkit.registry import DATA_SAMPLERS
from mimtoolkit.utils import ConfigError, require

FIELD = 'train_dataloader.sampler'


def balanced_groups(sizes: Dict[int, int], num_groups: int) -> List[List[int]]:
    """Split items (id -> size) into ``num_groups`` lists of nearly equal total size.

    Greedy: the largest item first (ties by id), each to the group with the least so far
    (ties by group index): the same split in every process.
    """
    groups, totals = [[] for _ in range(num_groups)], [0] * num_groups
    for item in sorted(sizes, key=lambda i: (-sizes[i], i)):
        g = totals.index(min(totals))
        groups[g].append(item)
        totals[g] += sizes[item]
    return groups


@DATA_SAMPLERS.register_module()
class ShardSampler(Sampler):
    """Indices of a ``TarShardDataset`` so that ranks, and the workers of one rank, read
    disjoint shards (sequential reads of few files, as webdataset's streaming does), while
    each epoch still covers every image exactly once, as ``DefaultSampler`` does.

    - Ranks: whole shards are split once between ranks, balanced by image count (the same
      split every epoch, so a node keeps reading its own shards). Every rank yields the
      same count: a rank with fewer images repeats its first ones up to the largest
      rank's count (as ``DefaultSampler``'s ``round_up`` pads), so no rank waits.
    - Epoch: with ``shuffle``, the rank's shards are put in a new order and the images of
      each shard shuffled, from ``seed + epoch`` (``set_epoch``; deterministic, and a resume
      at an epoch boundary repeats the order).
    - Workers: the rank's shards are split into ``num_workers`` groups and the index
      stream is laid out in whole batches taken from the groups in turn; a map-style
      ``DataLoader`` hands batch k to worker k mod W, so worker w reads only group w's
      shards. The batches beyond the shortest group's count of whole batches and each
      group's last partial batch come at the end of the epoch: the only ones another
      worker may read.

    ``MIMRunner`` fills in ``batch_size`` and ``num_workers`` from ``train_dataloader``
    unless the config sets them.

    Args:
        dataset (TarShardDataset): The shards' dataset (``shard_of_items``).
        shuffle (bool): Shuffle shards and images per epoch. Defaults to True.
        seed (int, optional): Shared by the ranks (``sync_random_seed`` when None).
        batch_size (int): The dataloader's batch size. Defaults to 1.
        num_workers (int): The dataloader's worker count. Defaults to 0.
    """

    def __init__(self, dataset, shuffle: bool = True, seed=None, batch_size: int = 1,
                 num_workers: int = 0) -> None:
        if not hasattr(dataset, 'shard_of_items'):
            raise ConfigError(f"{FIELD}=dict(type='ShardSampler') is invalid for a "
                              f'{type(dataset).__name__}: expected a TarShardDataset (or use '
                              "dict(type='DefaultSampler'))")
        require(isinstance(batch_size, int) and batch_size >= 1, f'{FIELD}.batch_size',
                batch_size, 'an integer >= 1')
        require(isinstance(num_workers, int) and num_workers >= 0, f'{FIELD}.num_workers',
                num_workers, 'an integer >= 0')
        self.rank, self.world_size = get_dist_info()
        self.shuffle, self.batch_size, self.num_workers = shuffle, batch_size, num_workers
        self.seed = sync_random_seed() if seed is None else seed
        self.epoch = 0
        members: Dict[int, List[int]] = {}
        for index, shard in enumerate(dataset.shard_of_items()):
            members.setdefault(shard, []).append(index)
        if len(members) < self.world_size:
            raise ConfigError(
                f'{FIELD}: ShardSampler needs at least one shard per rank; the dataset has '
                f'{len(members)} shards for {self.world_size} ranks (write smaller shards: '
                'folder_to_shards.py --max-images)')
        self.members = members
        split = balanced_groups({s: len(m) for s, m in members.items()}, self.world_size)
        self.shards_per_rank = [sorted(shards) for shards in split]
        self.num_samples = max(sum(len(members[s]) for s in shards) for shards in split)

    def _rank_order(self, generator: torch.Generator) -> List[List[int]]:
        """This rank's shards for the epoch, each as its (shuffled) item indices."""
        shards = self.shards_per_rank[self.rank]
        if self.shuffle:
            shards = [shards[i] for i in torch.randperm(len(shards), generator=generator)]
        ordered = []
        for shard in shards:
            items = self.members[shard]
            if self.shuffle:
                items = [items[i] for i in torch.randperm(len(items), generator=generator)]
            ordered.append(items)
        return ordered

    def _interleave(self, shards: Sequence[List[int]]) -> List[int]:
        """Whole batches from the worker groups in turn; the uneven rest last."""
        num_groups = max(1, min(self.num_workers, len(shards)))
        split = balanced_groups({i: len(items) for i, items in enumerate(shards)}, num_groups)
        # keep the epoch's shard order within each group
        groups = [[x for i in sorted(group) for x in shards[i]] for group in split]
        batches = [[g[i:i + self.batch_size] for i in range(0, len(g), self.batch_size)]
                   for g in groups]
        full = [[b for b in group if len(b) == self.batch_size] for group in batches]
        steps = min(len(group) for group in full)
        order = [x for step in range(steps) for group in full for x in group[step]]
        tail = [x for group in full for b in group[steps:] for x in b]
        partial = [x for group in batches for b in group if len(b) < self.batch_size
                   for x in b]
        return order + tail + partial

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator()
        generator.manual_seed(self.seed + self.epoch)
        indices = self._interleave(self._rank_order(generator))
        repeats = math.ceil(self.num_samples / len(indices))
        return iter((indices * repeats)[:self.num_samples])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """The epoch, for the shuffle (mmengine's loops call it)."""
        self.epoch = epoch
