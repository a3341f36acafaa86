"""SemanticPairBatchSampler: the same-class fraction per batch and across ranks, seeds, errors."""
import os.path as osp
from unittest import mock

import mmcv
import pytest
import skimage
import torch

from mimtoolkit.registry import DATA_SAMPLERS, DATASETS
from mimtoolkit.utils import ConfigError

PHOTOS = ('astronaut.png', 'coffee.png', 'chelsea.png', 'rocket.jpg')


def image_folder(root, per_class):
    """An ImageNet-style folder root/<class>/<n>.png of real photo crops."""
    for c, n in enumerate(per_class):
        photo = mmcv.imread(osp.join(osp.dirname(skimage.__file__), 'data', PHOTOS[c]))
        for i in range(n):
            crop = photo[8 * i:8 * i + 24, 8 * i:8 * i + 24]
            mmcv.imwrite(crop, osp.join(root, f'c{c}', f'{i}.png'))
    return DATASETS.build(dict(type='CustomDataset', data_root=str(root), pipeline=[]))


def pair_sampler(dataset, ratio, batch_size=8, rank=0, world_size=1, seed=0):
    with mock.patch('mmengine.dataset.sampler.get_dist_info', return_value=(rank, world_size)):
        sampler = DATA_SAMPLERS.build(dict(type='DefaultSampler', dataset=dataset, seed=seed))
    return DATA_SAMPLERS.build(dict(type='SemanticPairBatchSampler', sampler=sampler,
                                    batch_size=batch_size, same_class_ratio=ratio))


@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    return image_folder(tmp_path_factory.mktemp('folder'), [12, 10, 9, 9])  # 40 images


def _same_counts(batches, labels, b):
    counts = []
    for batch in batches:
        first, partner = torch.tensor(batch[:b]), torch.tensor(batch[b:])
        assert len(batch) == 2 * b and (first != partner).all()
        counts.append(int((labels[first] == labels[partner]).sum()))
    return counts


@pytest.mark.parametrize('ratio', [0.0, 0.25, 0.3, 0.5, 1.0])
def test_same_class_fraction_per_batch(folder, ratio):
    labels = torch.tensor([folder.get_data_info(i)['gt_label'] for i in range(len(folder))])
    sampler = pair_sampler(folder, ratio, batch_size=8)
    counts = _same_counts(list(sampler), labels, 8)
    assert len(counts) == len(sampler) == 5
    assert all(abs(c - ratio * 8) <= 1 for c in counts)  # within one pair in every batch
    assert sum(counts) == pytest.approx(ratio * 8 * 5, abs=1)  # and r over the epoch


def test_ranks_split_the_epoch_and_pair_as_one_process_with_the_global_batch(folder):
    labels = torch.tensor([folder.get_data_info(i)['gt_label'] for i in range(len(folder))])
    ranks = [list(pair_sampler(folder, 0.5, batch_size=4, rank=r, world_size=2))
             for r in range(2)]
    single = list(pair_sampler(folder, 0.5, batch_size=8))
    assert len(ranks[0]) == len(ranks[1]) == len(single) == 5  # 40 images / 8 pairs
    firsts = [i for batches in ranks for b in batches for i in b[:4]]
    assert sorted(firsts) == list(range(40))  # the epoch covered once across ranks
    for k, batch in enumerate(single):
        # rank r's pair j is the global batch's pair 2j + r (mmengine's sampler interleaves)
        for half, expected in ((slice(0, 4), batch[:8]), (slice(4, 8), batch[8:])):
            interleaved = [i for pair in zip(ranks[0][k][half], ranks[1][k][half]) for i in pair]
            assert interleaved == expected
    counts = _same_counts(single, labels, 8)
    assert all(c == 4 for c in counts)  # r of every global batch


def test_reproducible_under_a_seed_and_new_each_epoch(folder):
    a, b = pair_sampler(folder, 0.5), pair_sampler(folder, 0.5)
    assert list(a) == list(b)
    first_epoch = list(a)
    a.sampler.set_epoch(1)
    assert list(a) != first_epoch
    assert list(pair_sampler(folder, 0.5, seed=1)) != first_epoch


def test_runner_style_build_passes_the_dataloaders_sampler_and_batch_size(folder):
    from mmengine.runner import Runner
    loader = Runner.build_dataloader(dict(
        batch_size=4, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=True),
        batch_sampler=dict(type='SemanticPairBatchSampler', same_class_ratio=1.0),
        collate_fn=dict(type='default_collate'),
        dataset=dict(type='CustomDataset', data_root=folder.data_root,
                     pipeline=[dict(type='LoadImageFromFile'), dict(type='PackInputs')])),
        seed=0)
    batch = next(iter(loader))
    labels = [s.gt_label.item() for s in batch['data_samples']]
    assert batch['inputs'].shape[0] == 8 and labels[:4] == labels[4:]


def test_clear_errors(tmp_path, folder):
    unlabelled = DATASETS.build(dict(type='CustomDataset', data_root=folder.data_root,
                                     with_label=False, pipeline=[]))
    with pytest.raises(ConfigError, match='needs one class label .* CustomDataset'):
        pair_sampler(unlabelled, 0.5)
    lonely = image_folder(tmp_path / 'lonely', [3, 1])
    with pytest.raises(ConfigError, match=r'same_class_ratio=1.0 is invalid for this dataset: '
                       r'classes \[1\] have fewer than 2 images'):
        pair_sampler(lonely, 1.0, batch_size=2)
    one_class = image_folder(tmp_path / 'one', [4])
    with pytest.raises(ConfigError, match='it has one class'):
        pair_sampler(one_class, 0.5, batch_size=2)
    with pytest.raises(ConfigError, match=r'same_class_ratio=1.5 is invalid: expected a float'):
        pair_sampler(folder, 1.5)
