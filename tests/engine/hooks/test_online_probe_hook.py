"""OnlineProbeHook on a tiny in-memory dataset, through a real Runner: known answers.

Two classes of 32 x 32 images, dark and bright with noise. Classifying the bank's own images
with k = 1 finds each image itself (top-1 = 1); with every label swapped, never (top-1 = 0).
The two classes are apart in any encoder's features, so the linear probe gets them all right
(and all wrong when swapped).
"""
import json
import os.path as osp
from glob import glob

import numpy as np
import pytest
from mmengine.dataset import BaseDataset
from mmengine.runner import Runner

from mimtoolkit.registry import DATASETS
from ...conftest import tiny_mae_cfg


@DATASETS.register_module(force=True)
class TinyProbeImages(BaseDataset):
    """``count`` images per class: class 0 dark, class 1 bright (uint8 noise, seeded);
    ``swap_labels`` gives every image the other class."""

    def __init__(self, count: int = 12, swap_labels: bool = False, **kwargs) -> None:
        self.count, self.swap_labels = count, swap_labels
        super().__init__(pipeline=[dict(type='PackInputs')], serialize_data=False, **kwargs)

    def load_data_list(self) -> list:
        rng = np.random.default_rng(0)
        items = []
        for label, low in ((0, 0), (1, 180)):
            for _ in range(self.count):
                img = rng.integers(low, low + 76, (32, 32, 3), dtype=np.uint8)
                items.append(dict(img=img, gt_label=label ^ int(self.swap_labels)))
        return items


def probe_runner(tmp_path):
    """A tiny MAE trained one step (lr 0) with the probe logging after it."""
    bank = dict(type='TinyProbeImages')
    hook = dict(type='OnlineProbeHook', train_dataset=bank, val_dataset=bank, k=1,
                linear_epochs=30, interval=100, by_epoch=False, batch_size=10)
    return Runner(
        model=tiny_mae_cfg(), work_dir=str(tmp_path), default_scope='mimtoolkit',
        train_dataloader=dict(dataset=bank, batch_size=8, num_workers=0,
                              sampler=dict(type='DefaultSampler', shuffle=True),
                              collate_fn=dict(type='default_collate')),
        train_cfg=dict(by_epoch=False, max_iters=1),
        optim_wrapper=dict(optimizer=dict(type='AdamW', lr=0.0)),
        custom_hooks=[hook], default_hooks=dict(logger=dict(type='LoggerHook', interval=1)),
        visualizer=dict(type='Visualizer', vis_backends=[dict(type='LocalVisBackend')]),
        randomness=dict(seed=0))


def test_probe_gets_the_known_answers_and_logs_them(tmp_path):
    runner = probe_runner(tmp_path)
    runner.train()
    [scalars] = glob(osp.join(str(tmp_path), '*', 'vis_data', 'scalars.json'))
    logged = [json.loads(line) for line in open(scalars) if 'knn_top1' in line]
    assert len(logged) == 1 and logged[0]['step'] == 1  # after the last iteration
    assert logged[0]['knn_top1'] == 1.0 and logged[0]['linear_top1'] == 1.0
    assert logged[0]['probe_seconds'] > 0
    [hook] = [h for h in runner.hooks if type(h).__name__ == 'OnlineProbeHook']
    hook.datasets['val'] = DATASETS.build(dict(type='TinyProbeImages', swap_labels=True))
    swapped = hook.probe(runner)
    assert swapped['knn_top1'] == 0.0 and swapped['linear_top1'] == 0.0
    bank = hook.features(runner.model, hook.datasets['train'], 'bank')
    assert bank[0].shape == (24, 32) and bank[1].tolist() == [0] * 12 + [1] * 12


def test_probe_refuses_an_empty_split(tmp_path):
    from mimtoolkit.utils import ConfigError
    runner = probe_runner(tmp_path)
    [hook] = [h for h in runner.hooks if type(h).__name__ == 'OnlineProbeHook']
    hook.dataset_cfgs['val'] = dict(type='TinyProbeImages', count=0)
    with pytest.raises(ConfigError, match='OnlineProbeHook.val_dataset is empty'):
        hook.before_train(runner)
