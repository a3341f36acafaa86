"""Every image a real dataset holds decodes to 8-bit RGB through every backend the configs use:
Pillow (mmcv's array path), the tensor pipeline, bytes + the device-side decode, and the
default ImageNet pipelines (16-bit greyscale PNG and TIFF, CMYK and greyscale JPEG, palette
and RGBA PNG, EXIF-rotated, progressive, a PNG named .JPEG, tiny, huge, bytes after the end
marker, BMP, PPM/PGM, WebP, an animated GIF)."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose

from mimtoolkit.datasets.transforms import CheckedLoadImageFromFile
from mimtoolkit.models.data_preprocessors import DeviceAugmentDataPreprocessor
from ..conftest import REPO
from .odd_images import write_odd_images


@pytest.fixture(scope='module')
def odd(tmp_path_factory):
    return write_odd_images(str(tmp_path_factory.mktemp('odd')))


def assert_rgb(name, image: np.ndarray, reference: np.ndarray, tolerance: float) -> None:
    assert image.dtype == np.uint8 and image.shape == reference.shape, (name, image.shape)
    diff = np.abs(image.astype(np.float32) - reference.astype(np.float32)).mean()
    assert diff <= tolerance + 1e-6, (name, diff)


def pillow(path):
    return CheckedLoadImageFromFile()(dict(img_path=path))['img'][..., ::-1]  # BGR -> RGB


def tensor_pipeline(path):
    loaded = CheckedLoadImageFromFile(imdecode_backend='torchvision')(dict(img_path=path))
    return loaded['img'].flip(0).permute(1, 2, 0).numpy()  # BGR -> RGB, HWC


def device_side(path):
    loaded = CheckedLoadImageFromFile(imdecode_backend='bytes')(dict(img_path=path))
    if loaded['img'].dim() == 3:  # an EXIF-rotated photo, decoded upright in the worker (BGR)
        return loaded['img'].flip(0).permute(1, 2, 0).numpy()
    decoder = DeviceAugmentDataPreprocessor(mean=[0.] * 3, std=[1.] * 3, to_rgb=True)
    [image] = decoder._decode([loaded['img']], [path])  # RGB
    assert tuple(image.shape[1:]) == loaded['img_shape']  # the header's size is the image's
    return image.permute(1, 2, 0).numpy()


@pytest.mark.parametrize('backend', [pillow, tensor_pipeline, device_side],
                         ids=['pillow', 'tensor', 'bytes+device'])
def test_every_file_decodes_to_its_8_bit_rgb(odd, backend):
    for name, (path, reference, tolerance) in odd.items():
        assert_rgb(name, backend(path), reference, tolerance)


def test_a_16_bit_png_is_scaled_not_clipped(odd):
    path, reference, _ = odd['grey16.png']
    for backend in (pillow, tensor_pipeline, device_side):
        image = backend(path)
        assert image.max() == 255 and image.min() == 0 and len(np.unique(image)) > 200
        assert (image == 255).mean() < 0.01  # Pillow alone clips 99% of it to white


@pytest.mark.parametrize('config', ['imagenet_bs512_mim.py', 'imagenet_bs512_mim_pillow.py'])
def test_the_default_imagenet_pipelines_take_every_file(odd, config):
    cfg = Config.fromfile(osp.join(REPO, 'configs', '_base_', 'datasets', config))
    pipeline = Compose(cfg.train_pipeline)
    np.random.seed(0)
    for name, (path, _, _) in odd.items():
        packed = pipeline(dict(img_path=path))
        inputs = packed['inputs']
        assert inputs.dtype == torch.uint8 and tuple(inputs.shape) == (3, 224, 224), name


def test_torchcodec_gives_the_pixels_torchvision_gave(odd):
    """The decoders replaced (torchvision's, deprecated from 0.29) and ours agree exactly,
    one by one and in the batched JPEG call, on every file torchvision read, except 16-bit
    ones (torchvision's uint16 output crashed the pipeline)."""
    from torchvision.io import ImageReadMode, decode_image, decode_jpeg

    from mimtoolkit.datasets.image_decoding import as_byte_tensor, decode_jpegs, decode_rgb
    jpegs = []
    for name, (path, _, _) in odd.items():
        data = as_byte_tensor(open(path, 'rb').read())
        try:
            before = decode_image(data, mode=ImageReadMode.RGB, apply_exif_orientation=True)
        except RuntimeError as err:  # BMP, TIFF, PNM: torchvision did not read them at all
            assert 'Unsupported image file' in str(err) and decode_rgb(data).dim() == 3, name
            continue
        before = before[0] if before.dim() == 4 else before  # an animation's first frame
        if name == 'grey16.png':
            assert before.dtype == torch.uint16 and decode_rgb(data).dtype == torch.uint8
            continue
        assert torch.equal(decode_rgb(data), before), name
        if name.endswith('.jpg') and name != 'rotated.jpg':  # a worker decodes EXIF-rotated
            jpegs.append(data)
    for now, before in zip(decode_jpegs(jpegs, 'cpu'), decode_jpeg(jpegs, mode=ImageReadMode.RGB)):
        assert torch.equal(now, before)
