"""TarShardDataset: images and labels from webdataset-style tar shards, read in place."""
from typing import List, Optional, Sequence, Union

from mmpretrain.datasets import BaseDataset

from mimtoolkit.registry import DATASETS
from .tar_shards import expand_shards, index_shard

FIELD = 'train_dataloader.dataset.shards'


@DATASETS.register_module()
class TarShardDataset(BaseDataset):
    """The images of tar shards (``mimtoolkit/datasets/tar_shards.py``) as an mmpretrain
    dataset: indexed at start-up from the tar headers (no unpacking), one item per image
    member, in shard order, with its ``gt_label`` where the shard has ``KEY.cls`` members
    (so ``SemanticPairBatchSampler``, probes and fine-tuning see the labels).

    Each item is ``dict(img_path='SHARD::MEMBER', shard, shard_index, shard_offset,
    shard_size, gt_label)``; ``CheckedLoadImageFromFile`` reads the member's bytes in place
    and names ``SHARD::MEMBER`` when it cannot decode them. Pair it with ``ShardSampler``
    for disjoint shards per rank and per dataloader worker.

    Args:
        shards (str | Sequence[str]): Shard path(s), glob(s) or brace range(s), e.g.
            ``'data/in1k-shards/train-{000000..000146}.tar'``.
        pipeline (Sequence[dict]): Transforms, starting with ``CheckedLoadImageFromFile``.
        classes (str | Sequence[str], optional): Class names, or a text file of them (the
            converter writes ``classes.txt``), as mmpretrain's datasets take them.
        **kwargs: Other ``BaseDataset`` arguments (``metainfo``, ``test_mode``,
            ``lazy_init``, ...).
    """

    def __init__(self, shards: Union[str, Sequence[str]], pipeline: Sequence = (),
                 classes: Optional[Union[str, Sequence[str]]] = None, **kwargs) -> None:
        self.shard_files = expand_shards(shards, FIELD)
        super().__init__(ann_file='', pipeline=pipeline, classes=classes, **kwargs)

    def load_data_list(self) -> List[dict]:
        """One dict per image member of every shard (see the class docstring)."""
        items = []
        for shard_index, shard in enumerate(self.shard_files):
            for member in index_shard(shard):
                item = dict(img_path=f'{shard}::{member.name}', shard=shard,
                            shard_index=shard_index, shard_offset=member.offset,
                            shard_size=member.size)
                if member.label is not None:
                    item['gt_label'] = member.label
                items.append(item)
        return items

    def shard_of_items(self) -> List[int]:
        """The ``shard_index`` of every item, without loading images: (N,) list."""
        return [self.get_data_info(i)['shard_index'] for i in range(len(self))]
