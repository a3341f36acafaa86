"""OnlineProbeHook in real runs: k-NN that tracks training, the same number on 2 processes."""

import pytest

from ..conftest import free_port, run_tool
from .helpers import log_records

MAE_FASHION = 'configs/mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py'
#: the config's probe on a 500-image bank and 250 test images, one epoch, no figures
PROBE = ['custom_hooks.0.train_dataset.indices=500', 'custom_hooks.0.val_dataset.indices=250',
         'custom_hooks.1.interval=100000', 'train_cfg.max_epochs=1',
         'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
         'default_hooks.logger.interval=10']

pytestmark = [pytest.mark.slow,
              pytest.mark.fashion_mnist]


def probes(work_dir) -> list:
    return [r for r in log_records(str(work_dir)) if 'knn_top1' in r]


def test_knn_tracks_training_and_two_processes_report_the_one_process_value(tmp_path):
    proc = run_tool(['tools/train.py', MAE_FASHION, '--work-dir', str(tmp_path / 'trained'),
                     '--cfg-options', *PROBE, 'train_dataloader.dataset.indices=3200',
                     'train_dataloader.batch_size=16', 'custom_hooks.0.at_start=True'])
    start, end = probes(tmp_path / 'trained')
    assert (start['step'], end['step']) == (0, 200)  # before the first and after the last step
    assert 0.1 < start['knn_top1'] < end['knn_top1'] <= 1.0  # 10 classes: chance is 0.1
    assert end['knn_top1'] - start['knn_top1'] > 0.02, (start, end)
    assert '500 bank / 250 val images' in proc.stdout + proc.stderr
    # 2 processes, lr 0: the same seeded initial encoder as the start above, each rank
    # encoding half of the images; gathered, they give the one-process number
    proc = run_tool(['tools/dist_train.sh', MAE_FASHION, '2', '--work-dir', str(tmp_path / 'two'),
                     '--cfg-options', *PROBE, 'train_dataloader.dataset.indices=128',
                     'train_dataloader.batch_size=32', 'optim_wrapper.optimizer.lr=0.0'],
                    env_extra=dict(PORT=free_port()))
    two = probes(tmp_path / 'two')
    assert len(two) == 1 and two[0]['step'] == 2
    assert two[0]['knn_top1'] == pytest.approx(start['knn_top1'], abs=1 / 250)
    assert '500 bank / 250 val images' in proc.stdout + proc.stderr  # gathered: all of them
