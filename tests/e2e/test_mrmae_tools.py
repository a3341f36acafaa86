"""MR-MAE end to end through tools/train.py: MAE teacher first, then MR-MAE (ViT and ConvViT)."""

import mmcv
import pytest
import torch

from ..conftest import run_tool
from .helpers import SMALL_PHOTO_RUN, figure_shape, loss_went_down, scalars

pytestmark = pytest.mark.slow

MRMAE = 'configs/mrmae/mrmae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
MRMAE_CONV = 'configs/mrmae/mrmae_convvit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
MAE_FASHION = 'configs/mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py'
MRMAE_FASHION = 'configs/mrmae/mrmae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py'
SMALL = SMALL_PHOTO_RUN


@pytest.fixture(scope='module')
def runs(tmp_path_factory, mae_photo_run):
    root = tmp_path_factory.mktemp('mrmae')
    teacher = f'model.aux_heads.0.teacher.checkpoint={mae_photo_run}/epoch_8.pth'
    run_tool(['tools/train.py', MRMAE, '--work-dir', str(root / 'vit'), '--cfg-options',
              *SMALL, 'train_cfg.max_epochs=6', 'custom_hooks.0.interval=10', teacher])
    run_tool(['tools/train.py', MRMAE_CONV, '--work-dir', str(root / 'conv'), '--cfg-options',
              *SMALL, 'train_cfg.max_epochs=4', 'custom_hooks=[]', teacher])
    return root


@pytest.mark.parametrize('run,iters', [('vit', 30), ('conv', 20)])
def test_mrmae_mimics_the_mae_teacher_and_its_losses_go_down(runs, run, iters):
    records = scalars(str(runs / run))
    assert len(records) == iters
    assert all({'loss_mimic', 'loss_rec'} <= set(r) for r in records)
    assert loss_went_down(records, 'loss', window=4)
    last = sorted((runs / run).glob('epoch_*.pth'))[-1]
    state = torch.load(str(last), weights_only=True)['state_dict']
    assert not any('teacher' in k for k in state)  # the teacher is not saved
    assert state['aux_heads.0.proj.weight'].shape == (192, 192)  # Eq. 2: always projected


def test_convvit_run_saves_the_conv_stages(runs):
    state = torch.load(str(runs / 'conv' / 'epoch_4.pth'), weights_only=True)['state_dict']
    assert {'backbone.patch_embed.stage1.0.attn.weight', 'backbone.patch_embed.fuse2.weight',
            'backbone.layers.3.attn.qkv.weight'} <= set(state)


def test_reconstruction_figures_of_the_focused_masks(runs):
    figures = list((runs / 'vit').glob('*/vis_data/vis_image/reconstruction_*.png'))
    assert figures and mmcv.imread(str(figures[0])).shape == figure_shape(4, 4)


def test_missing_teacher_checkpoint_is_one_clear_line(tmp_path):
    proc = run_tool(['tools/train.py', MRMAE, '--work-dir', str(tmp_path), '--cfg-options',
                     f'model.aux_heads.0.teacher.checkpoint={tmp_path}/mae.pth'], check=False)
    assert proc.returncode == 2
    assert f"teacher.checkpoint='{tmp_path}/mae.pth' is invalid: expected an existing " \
        'checkpoint file' in proc.stderr
    assert 'Traceback' not in proc.stderr


@pytest.mark.fashion_mnist
def test_fashion_mnist_two_stage_recipe(tmp_path):
    few = ['train_dataloader.dataset.indices=640', 'train_dataloader.num_workers=0',
           'train_dataloader.persistent_workers=False', 'train_cfg.max_epochs=1',
           'default_hooks.logger.interval=1', 'custom_hooks=[]']
    run_tool(['tools/train.py', MAE_FASHION, '--work-dir', str(tmp_path / 'mae'),
              '--cfg-options', *few])
    run_tool(['tools/train.py', MRMAE_FASHION, '--work-dir', str(tmp_path / 'mrmae'),
              '--cfg-options', *few,
              f'model.aux_heads.0.teacher.checkpoint={tmp_path}/mae/epoch_1.pth'])
    records = scalars(str(tmp_path / 'mrmae'))
    assert len(records) == 10 and all('loss_mimic' in r for r in records)
