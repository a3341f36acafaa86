"""Reading what a training run left in its work dir."""
import glob
import json
import os.path as osp
from typing import List

from mimtoolkit.datasets.skimage_photos import SKIMAGE_PHOTOS

from ..conftest import REPO

#: --cfg-options of a short photo-config run: 68 images (4 crops of each of the 17 photos),
#: 5 iterations of <= 16 an epoch, in the main process, every iteration logged, every epoch saved.
SMALL_PHOTO_RUN = [
    'train_dataloader.dataset.crops_per_photo=4', 'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False', 'default_hooks.logger.interval=1',
    'default_hooks.checkpoint.interval=1', 'log_processor.window_size=1'
]


def log_records(work_dir: str) -> List[dict]:
    """Every record of mmengine's vis_data/scalars.json of all runs in work_dir, in order."""
    records = []
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records


def scalars(work_dir: str) -> List[dict]:
    """Per-iteration training log records of all runs in work_dir."""
    return [r for r in log_records(work_dir) if 'loss' in r]


def val_metrics(work_dir: str) -> dict:
    """The metrics of the last validation logged in work_dir (``step``, ``time`` and
    ``data_time`` left out)."""
    vals = [r for r in log_records(work_dir) if 'loss' not in r]
    assert vals, f'no validation was logged in {work_dir}'
    return {k: v for k, v in vals[-1].items() if k not in ('step', 'time', 'data_time')}


def loss_went_down(records: List[dict], key: str, window: int = 5) -> bool:
    """Mean of the last ``window`` logged losses below the mean of the first ``window``."""
    values = [r[key] for r in records]
    assert len(values) >= 2 * window, f'only {len(values)} {key} records'
    return sum(values[-window:]) / window < sum(values[:window]) / window


PHOTOS = [
    "dict(type='CheckedLoadImageFromFile')",
    "dict(type='Resize', scale=(64, 64), backend='pillow', interpolation='bicubic')",
    "dict(type='PackInputs')",
]


def photo_config(tmp_path, name: str, base: str, batch: int, model: str = '',
                 loader: str = '', epochs: int = 1) -> str:
    """The shipped config with a deterministic pipeline: ``epochs`` of 40 photos, batch ``batch``
    (per process), a loss logged and a checkpoint saved every step / epoch."""
    path = tmp_path / f'{name}_b{batch}.py'
    path.write_text(
        f"_base_ = [{osp.join(REPO, base)!r}]\n"
        f"train_dataloader = dict(batch_size={batch}, num_workers=0, persistent_workers=False,\n"
        f"    {loader}"
        f"    dataset=dict(photos={SKIMAGE_PHOTOS[:10]!r}, crops_per_photo=4,\n"
        f"                 pipeline=[{', '.join(PHOTOS)}]))\n"
        f"train_cfg = dict(max_epochs={epochs})\n"
        "default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=1))\n"
        "custom_hooks = []\n" + model)
    return str(path)


def figure_shape(rows: int, cols: int, cell: int = 64) -> tuple:
    """(H, W, 3) of a titled figure of rows x cols cells of ``cell`` px (enlarged to >= 128)."""
    from mimtoolkit.visualization.titled_grid import HEADER_PX, cell_scale
    side = cell * cell_scale(cell, cell)
    return (HEADER_PX + rows * side, cols * side, 3)
