"""Bad data gets one clear line from tools/train.py: unreadable images (or they are skipped
and counted), an empty image folder, a data root that does not exist; with the Pillow
pipeline and with the tensor pipeline (torchvision decode, TensorRandomResizedCrop,
TensorRandomFlip)."""
import os.path as osp

import pytest
import skimage.data
from PIL import Image

from ..conftest import REPO, run_tool

pytestmark = pytest.mark.slow

MAE = osp.join(REPO, 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py')


@pytest.fixture
def folder(tmp_path):
    """An image folder: 6 photos, a truncated JPEG and a text file named like a JPEG."""
    root = tmp_path / 'images' / 'all'
    root.mkdir(parents=True)
    for i, name in enumerate(('astronaut', 'coffee', 'chelsea', 'rocket', 'cat', 'camera')):
        Image.fromarray(getattr(skimage.data, name)()).save(root / f'{i}.jpg')
    whole = (root / '0.jpg').read_bytes()
    (root / 'truncated.jpg').write_bytes(whole[:len(whole) // 2])
    (root / 'notes.jpg').write_text('not an image')
    return str(tmp_path / 'images')


PILLOW = "dict(type='RandomResizedCrop', scale=64, backend='pillow')"
#: the tensor pipeline (configs/_base_/datasets/imagenet_bs512_mim.py's, at 64 px)
TENSOR = ("dict(type='TensorRandomResizedCrop', scale=64, interpolation='bicubic'), "
          "dict(type='TensorRandomFlip', prob=0.5)")


def config(tmp_path, data_root: str, on_error: str = 'raise', tensor: bool = False) -> str:
    path = tmp_path / 'folder.py'
    decoder = ", imdecode_backend='torchvision'" if tensor else ''
    path.write_text(f"""_base_ = [{MAE!r}]
train_dataloader = dict(batch_size=4, num_workers=1, persistent_workers=False, dataset=dict(
    _delete_=True, type='CustomDataset', data_root={data_root!r}, with_label=False, pipeline=[
        dict(type='CheckedLoadImageFromFile', on_error={on_error!r}{decoder}),
        {TENSOR if tensor else PILLOW},
        dict(type='PackInputs')]))
train_cfg = dict(max_epochs=1)
""")
    return str(path)


def train(cfg, tmp_path, check=False):
    return run_tool(['tools/train.py', cfg, '--work-dir', str(tmp_path / 'work')], check=check)


def one_line_error(proc) -> str:
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr, proc.stderr[-2000:]
    return proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize('tensor', [False, True], ids=['pillow', 'tensor-pipeline'])
def test_an_unreadable_image_is_named(folder, tmp_path, tensor):
    line = one_line_error(train(config(tmp_path, folder, tensor=tensor), tmp_path))
    assert line.startswith("error: image file '") and 'is invalid: cannot be decoded' in line
    assert 'truncated.jpg' in line or 'notes.jpg' in line


@pytest.mark.parametrize('tensor', [False, True], ids=['pillow', 'tensor-pipeline'])
def test_unreadable_images_can_be_skipped_and_are_counted(folder, tmp_path, tensor):
    proc = train(config(tmp_path, folder, on_error='skip', tensor=tensor), tmp_path, check=True)
    log = proc.stdout + proc.stderr
    for name in ('truncated.jpg', 'notes.jpg'):
        assert f'{name} (' in log and 'skipped unreadable image' in log
    assert 'skipped so far' in log and (tmp_path / 'work' / 'epoch_1.pth').is_file()


def test_an_empty_folder_and_a_missing_root_are_clear(tmp_path):
    (tmp_path / 'empty' / 'a').mkdir(parents=True)
    line = one_line_error(train(config(tmp_path, str(tmp_path / 'empty')), tmp_path))
    assert "dataset type='CustomDataset' data_root=" in line and 'Found 0 files' in line
    line = one_line_error(train(config(tmp_path, str(tmp_path / 'absent')), tmp_path))
    assert f"data_root='{tmp_path / 'absent'}' is invalid" in line
