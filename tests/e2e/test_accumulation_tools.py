"""tools/train.py --accumulate k with batch B trains as batch kB: the same lr at every update
and the same loss curve (warm-up + cosine schedule, AdamW, grad clipping)."""
import pytest

from ..conftest import run_tool
from .helpers import scalars

pytestmark = pytest.mark.slow

MAE = 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
# 17 photos x 16 crops = 272 images: 17 updates of 16 an epoch, no partial window
RUN = ['train_dataloader.dataset.crops_per_photo=16', 'train_dataloader.num_workers=0',
       'train_dataloader.persistent_workers=False', 'default_hooks.logger.interval=1',
       'log_processor.window_size=1', 'custom_hooks=[]', 'train_cfg.max_epochs=1']


def test_accumulated_micro_batches_follow_the_large_batch_curve(tmp_path):
    curves = {}
    for batch, k in ((16, 1), (8, 2)):
        work_dir = str(tmp_path / f'b{batch}')
        run_tool(['tools/train.py', MAE, '--work-dir', work_dir, '--accumulate', str(k),
                  '--cfg-options', f'train_dataloader.batch_size={batch}', *RUN])
        curves[k] = [r for r in scalars(work_dir) if 'loss' in r]
    whole, parts = curves[1], curves[2]
    assert (len(whole), len(parts)) == (17, 34)
    for u, record in enumerate(whole):
        first, second = parts[2 * u], parts[2 * u + 1]
        assert second['lr'] == pytest.approx(record['lr'], rel=1e-9)  # per update, not ahead
        assert (first['loss'] + second['loss']) / 2 == pytest.approx(record['loss'], abs=1e-5)
    assert whole[-1]['loss'] < whole[0]['loss']


def test_accumulate_below_one_is_one_clear_line(tmp_path):
    proc = run_tool(['tools/train.py', MAE, '--work-dir', str(tmp_path), '--accumulate', '0'],
                    check=False)
    assert proc.returncode != 0
    assert "--accumulate=0 is invalid: expected an int >= 1" in proc.stderr
