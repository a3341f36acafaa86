"""The embedded photos and Fashion-MNIST load as real files, with labels and clear errors."""
import gzip
import os.path as osp
import struct

import numpy as np
import pytest

from mimtoolkit.datasets import SKIMAGE_PHOTOS
from mimtoolkit.registry import DATASETS
from mimtoolkit.utils import ConfigError

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=32, backend='pillow'),
    dict(type='PackInputs')
]


def test_skimage_photos_are_real_files_cropped_differently_each_time():
    ds = DATASETS.build(dict(type='SkimagePhotos', crops_per_photo=2, pipeline=PIPELINE))
    assert len(ds) == 2 * len(SKIMAGE_PHOTOS)
    assert ds.metainfo['classes'][0] == 'astronaut'
    a, b = ds[0], ds[len(SKIMAGE_PHOTOS)]  # the same photo, two appearances
    assert a['inputs'].shape == (3, 32, 32) and a['inputs'].dtype.is_floating_point is False
    assert a['data_samples'].gt_label.item() == b['data_samples'].gt_label.item() == 0
    assert not (a['inputs'] == b['inputs']).all()
    grey = ds[SKIMAGE_PHOTOS.index('camera.png')]['inputs']  # grey photo -> 3 channels
    assert grey.shape[0] == 3


def test_skimage_photos_bad_arguments():
    with pytest.raises(ConfigError, match='dataset.crops_per_photo=0'):
        DATASETS.build(dict(type='SkimagePhotos', crops_per_photo=0))
    with pytest.raises(ConfigError, match='dataset.photos'):
        DATASETS.build(dict(type='SkimagePhotos', photos=['nope.png']))


def _write_idx(root, prefix, images, labels):
    with gzip.open(osp.join(root, f'{prefix}-images-idx3-ubyte.gz'), 'wb') as f:
        f.write(struct.pack('>IIII', 2051, len(images), 28, 28) + images.tobytes())
    with gzip.open(osp.join(root, f'{prefix}-labels-idx1-ubyte.gz'), 'wb') as f:
        f.write(struct.pack('>II', 2049, len(labels)) + labels.tobytes())


def test_fashion_mnist_reads_gzipped_idx_files_with_labels(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, (5, 28, 28), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    _write_idx(tmp_path, 'train', images, labels)
    _write_idx(tmp_path, 't10k', images[:2], labels[:2])
    pipeline = [dict(type='GrayToRGB'), dict(type='PackInputs')]
    ds = DATASETS.build(dict(type='OfflineFashionMNIST', data_root=str(tmp_path),
                             pipeline=pipeline))
    assert len(ds) == 5
    sample = ds[2]
    assert sample['inputs'].shape == (3, 28, 28)
    assert (sample['inputs'][0].numpy() == images[2]).all()
    assert sample['data_samples'].gt_label.item() == 4
    test = DATASETS.build(dict(type='OfflineFashionMNIST', data_root=str(tmp_path),
                               split='test'))
    assert len(test) == 2


def test_fashion_mnist_missing_root_says_how_to_get_it(tmp_path):
    with pytest.raises(ConfigError, match='apt-get install dataset-fashion-mnist'):
        DATASETS.build(dict(type='OfflineFashionMNIST', data_root=str(tmp_path / 'none')))


@pytest.mark.fashion_mnist
def test_debian_fashion_mnist():
    ds = DATASETS.build(dict(type='OfflineFashionMNIST', split='test'))
    assert len(ds) == 10000
    labels = {int(ds.get_data_info(i)['gt_label']) for i in range(200)}
    assert labels == set(range(10))


def test_image_folder_config_reads_an_imagenet_style_folder(tmp_path):
    """configs/_base_/datasets/image_folder_mim.py on real PNG/JPEG files in class folders."""
    import mmcv
    from mmengine.config import Config

    from mimtoolkit.datasets.skimage_photos import skimage_data_dir
    from ..conftest import REPO
    for cls, photo in (('cat', 'chelsea.png'), ('cup', 'coffee.png')):
        img = mmcv.imread(osp.join(skimage_data_dir(), photo))
        (tmp_path / cls).mkdir()
        mmcv.imwrite(img[:120, :160], str(tmp_path / cls / 'a.png'))
        mmcv.imwrite(img[-120:, -160:], str(tmp_path / cls / 'b.jpg'))
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/image_folder_mim.py'))
    ds = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=str(tmp_path)))
    assert len(ds) == 4 and ds.metainfo['classes'] == ('cat', 'cup')
    sample = ds[3]
    assert sample['inputs'].shape == (3, 64, 64) and sample['data_samples'].gt_label.item() == 1
