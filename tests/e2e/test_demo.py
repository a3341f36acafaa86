"""`make demo`'s claim at a reduced budget: its MAE, trained 6 of the demo's 20 epochs (210
iterations, the demo's own data, schedule and --amp), reconstructs hidden patches better than
both baselines that see no hidden pixel on new crops of the training photos, and better than
copying the nearest visible patch on the held-out photos.

Measured (docs/reliability.md, "The demo's claim"): the full demo beats both baselines on the
held-out photos too, by a small margin (+0.15 dB); at 6 or 10 epochs the mean visible colour
still wins there, so that part has no reduced-budget test.
"""
import json
import os.path as osp

import pytest

from ..conftest import run_tool

pytestmark = pytest.mark.slow

DEMO = 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64_demo.py'


def test_the_demo_model_beats_the_no_hidden_pixel_baselines(tmp_path):
    run_tool(['tools/train.py', DEMO, '--work-dir', str(tmp_path), '--amp', '--cfg-options',
              'train_cfg.max_epochs=6', 'custom_hooks=[]', 'train_dataloader.num_workers=0',
              'train_dataloader.persistent_workers=False'])
    run_tool(['tools/analysis_tools/reconstruction_baselines.py', DEMO,
              str(tmp_path / 'epoch_6.pth'), '--out-dir', str(tmp_path)])
    report = json.load(open(tmp_path / 'baselines.json'))['splits']
    assert osp.isfile(tmp_path / 'baselines.png')
    training, held_out = report['training'], report['held-out']
    assert training['num_images'] == held_out['num_images'] == 24
    assert training['margin_db'] > 0, training  # beats both baselines
    scores = held_out['scores']
    assert scores['model']['psnr_db'] > scores['nearest visible patch']['psnr_db'], scores
