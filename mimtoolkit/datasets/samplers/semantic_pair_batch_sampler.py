"""i-MAE's semantics-enhanced sampling: a fixed fraction of same-class mixture pairs."""
import math
from typing import Iterator, List

import numpy as np
import torch
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from mimtoolkit.registry import DATA_SAMPLERS
from mimtoolkit.utils import ConfigError, require

FIELD = 'train_dataloader.batch_sampler'


def dataset_labels(dataset) -> np.ndarray:
    """The class label of every item, without loading images.

    Args:
        dataset: An mmengine/mmpretrain dataset (wrappers included).

    Returns:
        np.ndarray: (N,) int64 labels.

    Raises:
        ConfigError: If the dataset is empty or any item has no ``gt_label``.
    """
    require(len(dataset) > 0, f'{FIELD}.sampler.dataset', type(dataset).__name__,
            'a non-empty dataset')
    labels = []
    for i in range(len(dataset)):
        label = dataset.get_data_info(i).get('gt_label')
        if label is None or np.size(label) != 1:
            raise ConfigError(f'{FIELD}: SemanticPairBatchSampler needs one class label '
                              f'(gt_label) per image; item {i} of {type(dataset).__name__} has '
                              f'{label!r}. Use a labelled dataset (Fashion-MNIST, CIFAR, an '
                              'ImageNet-style folder) or the default sampler.')
        labels.append(int(np.asarray(label).reshape(-1)[0]))
    return np.asarray(labels, dtype=np.int64)


@DATA_SAMPLERS.register_module()
class SemanticPairBatchSampler(Sampler):
    """Batches of mixture pairs in which a fraction r share a class (i-MAE §4.4).

    Each batch is ``[I_1 ... (batch_size), I_2 ... (batch_size)]``: the first
    half comes from ``sampler`` (so with mmengine's ``DefaultSampler`` each
    rank sees different images and an epoch covers the dataset once, across
    ranks), the second half are their partners, drawn from the whole dataset:
    the same class for exactly ``floor((k+1)·r·B) − floor(k·r·B)`` pairs of
    global batch k (B = pairs over all ranks; within one pair of r·B in every
    global batch, exactly r over the epoch), another class for the rest.
    Which pairs are same-class and the partners are drawn from a generator
    seeded by (seed, epoch), for the global batch, and each rank keeps its
    anchors' draws (rank r's anchor j is the global batch's j·world + r, as
    mmengine's sampler interleaves), so runs repeat under a seed and a
    multi-process run pairs as one process with the global batch does. Use
    it with ``PixelMixer(partner='halves')``; the dataloader's ``batch_size``
    is the number of mixed images per step (2·batch_size images are loaded).

    Args:
        sampler (Sampler): Yields the first images' indices (mmengine passes
            the dataloader's ``sampler``).
        batch_size (int): Pairs per batch (mmengine passes the dataloader's).
        same_class_ratio (float): r in [0, 1]. Defaults to 0.5.
        drop_last (bool): Drop a last incomplete batch. Defaults to True.
        seed (int, optional): Defaults to the sampler's seed, else a seed
            synced across ranks.
    """

    def __init__(self, sampler: Sampler, batch_size: int, same_class_ratio: float = 0.5,
                 drop_last: bool = True, seed=None) -> None:
        require(isinstance(same_class_ratio, (int, float)) and 0 <= same_class_ratio <= 1,
                f'{FIELD}.same_class_ratio', same_class_ratio, 'a float in [0, 1]')
        require(isinstance(batch_size, int) and batch_size >= 1, 'train_dataloader.batch_size',
                batch_size, 'an int >= 1')
        self.sampler = sampler
        self.batch_size = batch_size
        self.ratio = float(same_class_ratio)
        self.drop_last = drop_last
        if seed is None:
            seed = getattr(sampler, 'seed', None)
        self.seed = sync_random_seed() if seed is None else seed
        self._index_classes(dataset_labels(sampler.dataset))

    def _index_classes(self, labels: np.ndarray) -> None:
        classes, counts = np.unique(labels, return_counts=True)
        if self.ratio > 0 and counts.min() < 2:
            small = classes[counts < 2].tolist()
            raise ConfigError(f'{FIELD}.same_class_ratio={self.ratio} is invalid for this '
                              f'dataset: classes {small[:10]} have fewer than 2 images, so '
                              'they have no same-class partner (use same_class_ratio=0)')
        if self.ratio < 1 and len(classes) < 2:
            raise ConfigError(f'{FIELD}.same_class_ratio={self.ratio} is invalid for this '
                              'dataset: it has one class, so there is no other-class partner '
                              '(use same_class_ratio=1)')
        dense = np.searchsorted(classes, labels)
        self.labels = torch.from_numpy(dense)
        self.order = torch.from_numpy(np.argsort(dense, kind='stable'))
        self.counts = torch.from_numpy(counts)
        self.starts = torch.cumsum(self.counts, 0) - self.counts
        self.rank_in_class = torch.empty_like(self.order)
        self.rank_in_class[self.order] = torch.arange(len(labels)) - self.starts[dense[self.order]]

    def num_same(self, k: int, batch: int, full: int) -> int:
        """Same-class pairs in batch k of ``batch`` pairs (error diffusion of r·B).

        Args:
            k (int): The batch's index in the epoch.
            batch (int): Pairs in this batch (over all ranks).
            full (int): Pairs in a full batch (over all ranks).
        """
        if batch < full:  # a last short batch
            return round(self.ratio * batch)
        return (math.floor((k + 1) * self.ratio * batch + 1e-9) -
                math.floor(k * self.ratio * batch + 1e-9))

    def partners(self, anchors: torch.Tensor, same: torch.Tensor,
                 u: torch.Tensor) -> torch.Tensor:
        """A partner per anchor, same class where ``same`` else another class.

        Args:
            anchors (Tensor): (P,) long dataset indices.
            same (Tensor): (P,) bool.
            u (Tensor): (P,) float64 uniform draws in [0, 1), one per anchor.

        Returns:
            Tensor: (P,) long dataset indices, never the anchor itself.
        """
        cls = self.labels[anchors]
        n_cls, start = self.counts[cls], self.starts[cls]
        # same class: one of the n_cls - 1 others of the class
        s = (u * (n_cls - 1).clamp(min=1)).long()
        s = s + (s >= self.rank_in_class[anchors]).long()
        # other class: one of the N - n_cls images outside the class
        d = (u * (len(self.labels) - n_cls)).long()
        d = d + n_cls * (d >= start).long()
        return self.order[torch.where(same, start + s, d)]

    def _generator(self) -> torch.Generator:
        epoch = getattr(self.sampler, 'epoch', 0)
        g = torch.Generator()
        g.manual_seed((self.seed * 1_000_003 + epoch * 10_007) % (2**63))
        return g

    def _pair_batch(self, anchors: List[int], k: int, g: torch.Generator) -> List[int]:
        """Pair this rank's anchors; the draws are made for the global batch (all ranks)."""
        rank = getattr(self.sampler, 'rank', get_dist_info()[0])
        world = getattr(self.sampler, 'world_size', get_dist_info()[1])
        n = len(anchors) * world
        same = torch.zeros(n, dtype=torch.bool)
        same[torch.randperm(n, generator=g)[:self.num_same(k, n, self.batch_size * world)]] = True
        u = torch.rand(n, generator=g, dtype=torch.float64)
        anchors = torch.tensor(anchors, dtype=torch.long)
        return anchors.tolist() + self.partners(anchors, same[rank::world],
                                                u[rank::world]).tolist()

    def __iter__(self) -> Iterator[List[int]]:
        """Yield ``[first images..., partners...]`` index lists of 2·batch_size."""
        g = self._generator()
        batch, k = [], 0
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield self._pair_batch(batch, k, g)
                batch, k = [], k + 1
        if batch and not self.drop_last:
            yield self._pair_batch(batch, k, g)

    def __len__(self) -> int:
        """Batches per epoch (per rank)."""
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
