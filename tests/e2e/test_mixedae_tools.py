"""MixedAE end to end through the tools: training with the TopK-accuracy hook, the analyses."""
import glob
import json
import os.path as osp

import mmcv
import pytest

from mimtoolkit.visualization.titled_grid import HEADER_PX
from ..conftest import run_tool
from .helpers import SMALL_PHOTO_RUN, figure_shape, log_records, loss_went_down, scalars

pytestmark = pytest.mark.slow

MIXEDAE = 'configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
SMALL = SMALL_PHOTO_RUN


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('mixedae'))
    run_tool(['tools/train.py', MIXEDAE, '--work-dir', work_dir, '--cfg-options', *SMALL,
              'train_cfg.max_epochs=6', 'custom_hooks.0.interval=10',
              'custom_hooks.1.interval=1'])
    return work_dir


def test_trains_with_topk_accuracy_logged_per_layer(run):
    records = scalars(run)
    assert len(records) == 30  # 68 images: 4 batches of 16 and one of 4 an epoch
    layers = [f'topk_acc_layer{i}' for i in range(1, 6)]  # layer 0 stays dense
    assert all(set(layers) <= set(r) for r in records)
    assert not any('topk_acc_layer0' in r for r in records)
    assert all(0 <= r[key] <= 1 for r in records for key in layers)
    assert loss_went_down(records, 'loss_rec')
    figures = glob.glob(osp.join(run, '*', 'vis_data', 'vis_image', 'reconstruction_*.png'))
    assert figures and mmcv.imread(figures[0]).shape == figure_shape(1, 4)  # one mixed sample


def test_topk_accuracy_tool(run, tmp_path):
    out = str(tmp_path / 'topk.json')
    proc = run_tool(['tools/analysis_tools/topk_accuracy.py', MIXEDAE, f'{run}/epoch_6.pth',
                     '--num-images', '32', '--batch-size', '16', '--out', out])
    assert '| layer | K / N | accuracy |' in proc.stdout
    accuracy = json.load(open(out))['accuracy']
    assert sorted(accuracy) == ['1', '2', '3', '4', '5']
    assert all(0 <= v <= 1 for v in accuracy.values())


def test_attention_map_tool(run, tmp_path):
    out = str(tmp_path / 'maps.png')
    run_tool(['tools/analysis_tools/attention_maps.py', MIXEDAE, f'{run}/epoch_6.pth', '--out',
              out, '--num-images', '2'])
    assert mmcv.imread(out).shape == (HEADER_PX + 2 * 128, 3 * 128, 3)


def test_batch_not_divisible_by_the_group_is_one_clear_line(tmp_path):
    proc = run_tool(['tools/train.py', MIXEDAE, '--work-dir', str(tmp_path), '--cfg-options',
                     *SMALL, 'train_dataloader.batch_size=6', 'train_cfg.max_epochs=1'],
                    check=False)
    assert proc.returncode == 2
    assert 'batch_size (per GPU)=6 is invalid: expected a multiple of' in proc.stderr
    assert 'Traceback' not in proc.stderr


def train_on_fashion_mnist(config: str, work_dir, images: int, *options: str) -> list:
    """One epoch of ``config`` on the first ``images`` Fashion-MNIST images; its log records."""
    run_tool(['tools/train.py', config, '--work-dir', str(work_dir), '--cfg-options',
              f'train_dataloader.dataset.indices={images}',
              'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
              'default_hooks.logger.interval=1', 'log_processor.window_size=1',
              'train_cfg.max_epochs=1', *options])
    return scalars(str(work_dir))


@pytest.mark.fashion_mnist
def test_fashion_mnist_config_trains(tmp_path):
    records = train_on_fashion_mnist(
        'configs/mixedae/mixedae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py', tmp_path,
        640, 'custom_hooks=[]')
    assert len(records) == 10 and loss_went_down(records, 'loss')


@pytest.mark.fashion_mnist
def test_homocon_only_config_trains_without_a_decoder(tmp_path):
    records = train_on_fashion_mnist(
        'configs/mixedae/mixedae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32_homocon-only.py',
        tmp_path, 320, 'custom_hooks.1.interval=1', 'custom_hooks.0.train_dataset.indices=200',
        'custom_hooks.0.val_dataset.indices=100')
    assert len(records) == 5
    assert all('loss_homo' in r and 'loss_rec' not in r for r in records)
    assert all(r['loss'] == pytest.approx(r['loss_homo']) for r in records)  # the only loss
    assert all('topk_acc_layer5' in r for r in records)
    probe = [r for r in log_records(str(tmp_path)) if 'knn_top1' in r]  # on by default
    assert len(probe) == 1 and 0 <= probe[0]['knn_top1'] <= 1
