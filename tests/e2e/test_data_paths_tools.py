"""The data paths of issue 21 end to end: tools/train.py on an image folder with the tensor
pipeline and with the device-side augmentation (workers decode, or only read bytes); a
folder converted to tar shards by folder_to_shards.py and trained on under dist_train.sh 2;
bad shard input as one clear line."""
import os.path as osp

import pytest

from ..conftest import REPO, free_port, run_tool
from ..datasets.test_tar_shards import photo_folder
from .helpers import scalars

pytestmark = pytest.mark.slow

MAE = osp.join(REPO, 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py')
RUN = ("train_cfg = dict(max_epochs=2)\ndefault_hooks = dict(logger=dict(interval=1), "
       "checkpoint=dict(interval=1))\nlog_processor = dict(window_size=1)\ncustom_hooks = []\n")
PIPELINES = {
    'tensor': ("dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision'), "
               "dict(type='TensorRandomResizedCrop', scale=64, crop_ratio_range=(0.2, 1.0), "
               "interpolation='bicubic'), dict(type='TensorRandomFlip', prob=0.5), "
               "dict(type='PackInputs')"),
    **{f'device-aug-{backend}': (
        f"dict(type='CheckedLoadImageFromFile', imdecode_backend={backend!r}), "
        "dict(type='DeferredRandomResizedCrop', scale=64, crop_ratio_range=(0.2, 1.0)), "
        "dict(type='DeferredRandomFlip', prob=0.5), dict(type='PackInputs', meta_keys=("
        "'img_path', 'device_aug'))") for backend in ('torchvision', 'bytes')},
    # BEiT's order and colour jitter, all applied on the device
    'device-aug-bytes-jitter': (
        "dict(type='CheckedLoadImageFromFile', imdecode_backend='bytes'), "
        "dict(type='DeferredColorJitter', brightness=0.4, contrast=0.4, saturation=0.4), "
        "dict(type='DeferredRandomFlip', prob=0.5), "
        "dict(type='DeferredRandomResizedCrop', scale=64, crop_ratio_range=(0.08, 1.0)), "
        "dict(type='PackInputs', meta_keys=('img_path', 'device_aug'))"),
}
DEVICE_AUG = "model = dict(data_preprocessor=dict(type='DeviceAugmentDataPreprocessor'))\n"


@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    return photo_folder(tmp_path_factory.mktemp('photos') / 'train')  # 12 photos, 3 classes


@pytest.mark.parametrize('pipeline', sorted(PIPELINES))
def test_train_on_an_image_folder(folder, tmp_path, pipeline):
    device = pipeline.startswith('device')
    collate = "collate_fn=dict(type='pseudo_collate'), " if device else ''
    cfg = tmp_path / 'folder.py'
    cfg.write_text(f"""_base_ = [{MAE!r}]
train_dataloader = dict(batch_size=4, num_workers=1, persistent_workers=False, {collate}
    dataset=dict(_delete_=True, type='CustomDataset', data_root={folder!r},
                 pipeline=[{PIPELINES[pipeline]}]))
{RUN}{DEVICE_AUG if device else ''}""")
    run_tool(['tools/train.py', str(cfg), '--work-dir', str(tmp_path / 'work')])
    records = scalars(str(tmp_path / 'work'))
    assert len(records) == 6 and all(0 < r['loss'] < 10 for r in records)  # 2 x 12 / 4
    assert osp.isfile(tmp_path / 'work' / 'epoch_2.pth')


def test_folder_to_shards_then_train_under_two_processes(folder, tmp_path):
    out = tmp_path / 'shards'
    proc = run_tool(['tools/dataset_converters/folder_to_shards.py', folder, str(out),
                     '--max-images', '2', '--max-size', '1GB'])
    assert '6 shards' in proc.stdout and "type='TarShardDataset'" in proc.stdout
    pattern = str(out / 'train-{000000..000005}.tar')
    assert pattern in proc.stdout
    cfg = tmp_path / 'shards.py'
    cfg.write_text(f"""_base_ = [{MAE!r}]
train_dataloader = dict(batch_size=2, num_workers=1, persistent_workers=False,
    sampler=dict(_delete_=True, type='ShardSampler', shuffle=True), dataset=dict(
    _delete_=True, type='TarShardDataset', shards={pattern!r},
    classes={str(out / 'classes.txt')!r}, pipeline=[{PIPELINES['tensor']}]))
{RUN}""")
    work = str(tmp_path / 'work')
    run_tool(['tools/dist_train.sh', str(cfg), '2', '--work-dir', work],
             env_extra=dict(PORT=free_port()))
    # 12 images in 6 shards: 3 shards and 6 images a rank, 3 iterations of 2 an epoch
    assert len(scalars(work)) == 6
    assert osp.isfile(osp.join(work, 'epoch_2.pth'))
    resumed = run_tool(['tools/train.py', str(cfg), '--work-dir', str(tmp_path / 'again'),
                        '--resume', osp.join(work, 'epoch_1.pth')])
    assert 'resumed epoch: 1' in (resumed.stdout + resumed.stderr).lower()
    assert len(scalars(str(tmp_path / 'again'))) == 6  # epoch 2 of 6 iterations in 1 process


def test_bad_shard_input_is_one_clear_line(folder, tmp_path):
    cfg = tmp_path / 'none.py'
    cfg.write_text(f"""_base_ = [{MAE!r}]
train_dataloader = dict(sampler=dict(_delete_=True, type='ShardSampler'), dataset=dict(
    _delete_=True, type='TarShardDataset', shards={str(tmp_path / 'x-*.tar')!r}, pipeline=[]))
""")
    proc = run_tool(['tools/train.py', str(cfg), '--work-dir', str(tmp_path / 'w')], check=False)
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    assert "shards='" in proc.stderr and 'matches no shard file' in proc.stderr
    proc = run_tool(['tools/dataset_converters/folder_to_shards.py', folder,
                     str(tmp_path / 'o'), '--max-size', 'lots'], check=False)
    assert proc.returncode == 2 and "--max-size='lots' is invalid" in proc.stderr
