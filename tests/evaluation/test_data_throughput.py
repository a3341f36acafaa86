"""The data benchmark's parts: ImageNet-like JPEG files, decode floors, loader throughput."""
import numpy as np
import torch
import pytest
from PIL import Image

from mimtoolkit.datasets.imagenet_like_jpegs import write_imagenet_like_jpegs
from mimtoolkit.evaluation.data_throughput import (BATCH_DECODERS, DECODERS, cores_per_gpu,
                                                   decode_rates, loader_rate, pipeline_rate)
from mimtoolkit.registry import DATASETS

PIPELINE = [dict(type='CheckedLoadImageFromFile'),
            dict(type='RandomResizedCrop', scale=32, crop_ratio_range=(0.2, 1.0),
                 backend='pillow', interpolation='bicubic'),
            dict(type='RandomFlip', prob=0.5), dict(type='PackInputs')]


@pytest.fixture(scope='module')
def jpegs(tmp_path_factory):
    root = tmp_path_factory.mktemp('jpegs')
    return str(root), write_imagenet_like_jpegs(str(root), 6)


def test_made_files_are_imagenet_sized_jpegs_in_class_folders_and_seeded(jpegs, tmp_path):
    root, paths = jpegs
    assert len(paths) == 6 and len({p.split('/')[-2] for p in paths}) == 6  # one photo each
    for path in paths:
        with Image.open(path) as image:
            assert (image.format, image.mode, image.size) == ('JPEG', 'RGB', (500, 375))
    again = write_imagenet_like_jpegs(str(tmp_path), 6)
    assert [open(p, 'rb').read() for p in again] == [open(p, 'rb').read() for p in paths]
    other = write_imagenet_like_jpegs(str(tmp_path / 'seed1'), 1, seed=1)
    assert open(other[0], 'rb').read() != open(paths[0], 'rb').read()


def test_the_decode_floors_decode_the_same_rgb_image(jpegs):
    _, paths = jpegs
    decoded = {name: np.asarray(decode(paths[0])) for name, decode in DECODERS.items()}
    pillow = decoded.pop('Pillow').astype(np.float32)
    assert pillow.shape == (375, 500, 3)
    for name, image in decoded.items():  # HWC vs CHW; JPEG IDCTs differ by a level or two
        image = image.transpose(1, 2, 0) if image.shape[0] == 3 else image
        assert np.abs(image.astype(np.float32) - pillow).mean() < 2, name
    for name, decode in BATCH_DECODERS.items():
        [image] = decode([torch.frombuffer(bytearray(open(paths[0], 'rb').read()),
                                           dtype=torch.uint8)])
        assert np.abs(image.permute(1, 2, 0).numpy().astype(np.float32) - pillow).mean() < 2
    rates = decode_rates(paths)
    assert sorted(rates) == sorted([*DECODERS, *BATCH_DECODERS])
    assert all(r > 0 for r in rates.values())


def test_pipeline_and_loader_rates_run_the_real_dataset_and_dataloader(jpegs):
    root, _ = jpegs
    dataset_cfg = dict(type='CustomDataset', data_root=root, pipeline=PIPELINE)
    assert pipeline_rate(DATASETS.build(dataset_cfg), 4) > 0
    loader = dict(batch_size=2, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=True),
                  collate_fn=dict(type='default_collate'), dataset=dataset_cfg)
    assert loader_rate(loader, 4) > 0  # 4 batches after the first: wraps around the 6 files


def test_cores_per_gpu_is_the_gpu_rate_over_one_cores_rate():
    assert cores_per_gpu(5000.0, 250.0) == 20.0
