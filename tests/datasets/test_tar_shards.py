"""Tar shards: folder_to_shards' writer keeps every image's bytes and CustomDataset's label;
TarShardDataset reads them in place through CheckedLoadImageFromFile; bad shards are one
clear error naming the shard (and member), or skipped and counted."""
import glob
import io
import os
import tarfile

import numpy as np
import pytest
import skimage.data
import torch
from mmpretrain.datasets import CustomDataset
from PIL import Image

from mimtoolkit.datasets import TarShardDataset, dataset_labels
from mimtoolkit.datasets.shard_writer import write_shards
from mimtoolkit.datasets.tar_shards import expand_shards, index_shard
from mimtoolkit.datasets.transforms import CheckedLoadImageFromFile
from mimtoolkit.utils import ConfigError

PHOTOS = ('astronaut', 'coffee', 'chelsea', 'rocket', 'cat', 'camera', 'immunohistochemistry')


def photo_folder(root) -> str:
    """root/<class>/<image>: 3 classes of real photos, JPEGs and one PNG (12 images)."""
    for i in range(12):
        folder = root / f'class_{i % 3}'
        folder.mkdir(parents=True, exist_ok=True)
        img = getattr(skimage.data, PHOTOS[i % len(PHOTOS)])()
        img = np.stack([img] * 3, -1) if img.ndim == 2 else img
        crop = Image.fromarray(img[i * 7:i * 7 + 120, i * 5:i * 5 + 160])
        crop.save(folder / (f'img.{i}.png' if i == 4 else f'img_{i}.jpg'), quality=90)
    return str(root)


@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    return photo_folder(tmp_path_factory.mktemp('photos') / 'train')


@pytest.fixture(scope='module')
def shards(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp('shards')
    return write_shards(folder, str(out), max_images=5, seed=3), str(out)


def test_shards_hold_every_image_with_its_custom_dataset_label(folder, shards):
    paths, out = shards
    assert [os.path.basename(p) for p in paths] == [
        'train-000000.tar', 'train-000001.tar', 'train-000002.tar']  # 5 + 5 + 2 images
    reference = CustomDataset(data_root=folder, pipeline=[])
    by_bytes = {open(reference.get_data_info(i)['img_path'], 'rb').read():
                reference.get_data_info(i)['gt_label'] for i in range(len(reference))}
    dataset = TarShardDataset(shards=os.path.join(out, 'train-{000000..000002}.tar'),
                              classes=os.path.join(out, 'classes.txt'))
    assert len(dataset) == 12 and dataset.metainfo['classes'] == reference.metainfo['classes']
    loader = CheckedLoadImageFromFile()
    seen = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        data = loader._read(info)
        assert by_bytes[data] == info['gt_label']  # the original bytes, the folder's label
        seen.append(data)
    assert sorted(seen) == sorted(by_bytes)  # each image exactly once
    # the labels the semantics-enhanced sampler and the probes read, without loading images
    assert dataset_labels(dataset).tolist() == [
        dataset.get_data_info(i)['gt_label'] for i in range(len(dataset))]
    # shuffled once before splitting: the first shard mixes the classes
    assert len({dataset.get_data_info(i)['gt_label'] for i in range(5)}) > 1


def test_writing_the_same_folder_twice_gives_the_same_shards(folder, shards, tmp_path):
    again = write_shards(folder, str(tmp_path), max_images=5, seed=3)
    for a, b in zip(shards[0], again):
        assert open(a, 'rb').read() == open(b, 'rb').read()
    assert not [f for f in os.listdir(tmp_path) if f.endswith('.part')]


def test_max_bytes_closes_a_shard_at_about_that_size(folder, tmp_path):
    paths = write_shards(folder, str(tmp_path), max_bytes=60_000)
    sizes = [os.path.getsize(p) for p in paths]
    assert len(paths) > 2 and max(sizes[:-1]) <= 60_000 + 10_240  # end-of-archive blocks


@pytest.mark.parametrize('backend', ['pillow', 'torchvision'])
def test_a_shard_member_loads_the_pixels_of_its_file(folder, shards, backend):
    dataset = TarShardDataset(shards=os.path.join(shards[1], 'train-*.tar'))
    info = dataset.get_data_info(0)
    data = CheckedLoadImageFromFile()._read(info)
    original = next(p for p in glob.glob(os.path.join(folder, '*', '*'))
                    if open(p, 'rb').read() == data)
    loader = CheckedLoadImageFromFile(imdecode_backend=backend)
    from_shard = loader(dict(info))['img']
    from_file = loader(dict(img_path=original))['img']
    assert type(from_shard) is type(from_file)
    assert np.array_equal(np.asarray(from_shard), np.asarray(from_file))


def test_the_bytes_backend_gives_the_bytes_and_the_upright_size(shards):
    dataset = TarShardDataset(shards=os.path.join(shards[1], 'train-000000.tar'))
    out = CheckedLoadImageFromFile(imdecode_backend='bytes')(dict(dataset.get_data_info(0)))
    assert out['img'].dtype == torch.uint8 and out['img'].dim() == 1
    assert out['img_shape'] == (120, 160)


def test_a_pattern_that_matches_nothing_names_the_field(tmp_path):
    with pytest.raises(ConfigError, match=r"shards='.*nothing-\*\.tar' is invalid: it matches no"):
        expand_shards(str(tmp_path / 'nothing-*.tar'), 'train_dataloader.dataset.shards')
    with pytest.raises(ConfigError, match=r'2 of its 3 shards do not exist'):
        (tmp_path / 'a-000000.tar').write_bytes(b'')
        TarShardDataset(shards=str(tmp_path / 'a-{000000..000002}.tar'))


def test_a_truncated_shard_names_the_shard_and_the_member(shards, tmp_path):
    whole = open(shards[0][0], 'rb').read()
    members = index_shard(shards[0][0])
    cut = tmp_path / 'cut.tar'
    cut.write_bytes(whole[:members[2].offset + members[2].size // 2])  # inside image 3
    with pytest.raises(ConfigError, match=rf"shard '{cut}' is truncated: member "
                       rf"'{members[2].name}' needs bytes"):
        TarShardDataset(shards=str(cut))
    cut.write_bytes(whole[:members[2].offset - 700])  # inside a header
    with pytest.raises(ConfigError, match=rf"shard '{cut}' is invalid after member"):
        index_shard(str(cut))
    cut.write_bytes(b'not a tar at all' * 100)
    with pytest.raises(ConfigError, match=rf"shard '{cut}' is invalid"):
        index_shard(str(cut))


def _tar(path, members):
    with tarfile.open(path, 'w') as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_an_undecodable_member_names_shard_and_member_or_is_skipped_and_counted(tmp_path):
    good = io.BytesIO()
    Image.fromarray(skimage.data.astronaut()[:64, :64]).save(good, 'JPEG')
    shard = str(tmp_path / 'bad.tar')
    _tar(shard, [('a.jpg', good.getvalue()), ('a.cls', b'0'),
                 ('b.jpg', good.getvalue()[:300]), ('b.cls', b'1')])
    dataset = TarShardDataset(shards=shard)
    bad = dataset.get_data_info(1)
    for backend in ('pillow', 'torchvision', 'bytes'):
        with pytest.raises(ConfigError, match=rf"image file '{shard}::b.jpg' is invalid"):
            CheckedLoadImageFromFile(imdecode_backend=backend)(dict(bad)) if backend != 'bytes' \
                else CheckedLoadImageFromFile(imdecode_backend=backend)(
                    dict(bad, shard_size=2))  # not even a header
    skipping = CheckedLoadImageFromFile(on_error='skip', imdecode_backend='torchvision')
    assert skipping(dict(dataset.get_data_info(0)))['img'].shape == (3, 64, 64)
    assert skipping(dict(bad)) is None and skipping.skipped == 1


def test_a_label_that_is_not_a_class_index_names_the_member(tmp_path):
    shard = str(tmp_path / 'labels.tar')
    _tar(shard, [('a.jpg', b'x'), ('a.cls', b'cat')])
    with pytest.raises(ConfigError, match=r"member 'a.cls' is invalid: expected a class index"):
        index_shard(shard)
