"""The tensor pipeline (torchvision decode -> TensorRandomResizedCrop -> TensorRandomFlip) is
the Pillow pipeline's augmentation: the same crop boxes and flips draw for draw, boxes
distributed as torchvision's, the same pixels within interpolation tolerance, the same
bad-image handling."""
import math

import mmcv
import numpy as np
import pytest
import skimage.data
import torch
from mmcv.transforms import RandomFlip
from mmengine.dataset import Compose
from PIL import Image

from mimtoolkit.datasets.imagenet_like_jpegs import write_imagenet_like_jpegs
from mimtoolkit.datasets.transforms import (CheckedLoadImageFromFile, TensorRandomFlip,
                                            TensorRandomResizedCrop)
from mimtoolkit.engine.recipe_facts import augmentation_name
from mimtoolkit.utils import ConfigError

CROP = dict(scale=48, crop_ratio_range=(0.2, 1.0), interpolation='bicubic')


def pipelines():
    """(tensor, Pillow) pipelines of the same augmentation, both BGR like mmcv's loaders."""
    tensor = Compose([dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision'),
                      dict(type='TensorRandomResizedCrop', **CROP),
                      dict(type='TensorRandomFlip', prob=0.5), dict(type='PackInputs')])
    pillow = Compose([dict(type='CheckedLoadImageFromFile'),
                      dict(type='RandomResizedCrop', backend='pillow', **CROP),
                      dict(type='RandomFlip', prob=0.5), dict(type='PackInputs')])
    return tensor, pillow


@pytest.fixture(scope='module')
def jpegs(tmp_path_factory):
    return write_imagenet_like_jpegs(str(tmp_path_factory.mktemp('jpegs')), 4)


def test_the_loader_gives_the_bgr_uint8_image_mmcv_gives(jpegs):
    tensor = CheckedLoadImageFromFile(imdecode_backend='torchvision')(dict(img_path=jpegs[0]))
    array = CheckedLoadImageFromFile()(dict(img_path=jpegs[0]))  # Pillow, BGR
    assert tensor['img'].dtype == torch.uint8 and tensor['img'].shape == (3, 375, 500)
    assert tensor['img_shape'] == array['img_shape'] == (375, 500)
    diff = (tensor['img'].permute(1, 2, 0).float() -
            torch.from_numpy(np.ascontiguousarray(array['img'])).float())
    assert diff.abs().mean() < 1.5  # libjpeg-turbo vs Pillow's libjpeg: IDCT rounding only
    rgb = CheckedLoadImageFromFile(imdecode_backend='torchvision', channel_order='rgb')(
        dict(img_path=jpegs[0]))['img']
    assert torch.equal(rgb, tensor['img'].flip(0))


def test_the_loader_turns_an_exif_rotated_photo_upright_as_mmcv_does(tmp_path):
    path = str(tmp_path / 'rotated.jpg')
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    Image.fromarray(skimage.data.astronaut()[:200, :320]).save(path, exif=exif, quality=95)
    tensor = CheckedLoadImageFromFile(imdecode_backend='torchvision')(dict(img_path=path))
    array = CheckedLoadImageFromFile()(dict(img_path=path))['img']
    assert tensor['img'].shape == (3, 320, 200) and array.shape == (320, 200, 3)
    diff = (tensor['img'].permute(1, 2, 0).float() -
            torch.from_numpy(np.ascontiguousarray(array)).float())
    assert diff.abs().mean() < 1.5


def test_same_seed_same_boxes_and_flips_and_pixels_within_interpolation_tolerance(jpegs):
    tensor, pillow = pipelines()
    flipped = 0
    for seed in range(40):
        path = jpegs[seed % len(jpegs)]
        np.random.seed(seed)
        a = tensor(dict(img_path=path))
        np.random.seed(seed)
        b = pillow(dict(img_path=path))
        assert a['inputs'].dtype == b['inputs'].dtype == torch.uint8
        assert a['inputs'].shape == b['inputs'].shape == (3, 48, 48)
        assert a['data_samples'].flip == b['data_samples'].flip
        flipped += bool(a['data_samples'].flip)
        # same box: antialiased bicubic (torch vs Pillow) and the decoders differ by a few levels
        assert (a['inputs'].float() - b['inputs'].float()).abs().mean() < 4, seed
    assert 8 < flipped < 32  # prob 0.5 over 40 draws


def box_statistics(boxes, height: int, width: int) -> dict:
    """Per box: area fraction, log aspect ratio (w / h), and where its top/left fall in the
    room the image leaves (0 to 1; 0.5 where there is none)."""
    boxes = np.asarray(boxes, np.float64)
    top, left, h, w = boxes.T

    def place(start, room):
        return np.where(room > 0, start / np.maximum(room, 1), 0.5)
    return dict(area=h * w / (height * width), log_ratio=np.log(w / h),
                top=place(top, height - h), left=place(left, width - w))


@pytest.mark.parametrize('shape', [(375, 500), (500, 375), (64, 64), (80, 400)])
def test_the_box_distribution_is_torchvisions_random_resized_crop(shape):
    """The boxes the transform draws follow torchvision's RandomResizedCrop.get_params (an
    implementation independent of mmpretrain's) on the same image size: two-sample
    Kolmogorov-Smirnov tests on the area, the aspect ratio and the position, 3000 draws each;
    a panorama (80 x 400) falls back to the central crop on most draws."""
    from scipy.stats import ks_2samp
    from torchvision.transforms import RandomResizedCrop as TorchvisionCrop
    height, width = shape
    ours = TensorRandomResizedCrop(**CROP)
    np.random.seed(0)
    mine = [ours.draw_box(shape) for _ in range(3000)]
    torch.manual_seed(0)
    image = torch.zeros(1, height, width)
    theirs = [TorchvisionCrop.get_params(image, scale=list(CROP['crop_ratio_range']),
                                         ratio=[3 / 4, 4 / 3]) for _ in range(3000)]
    a, b = box_statistics(mine, height, width), box_statistics(theirs, height, width)
    for key in a:
        assert ks_2samp(a[key], b[key]).pvalue > 1e-3, (shape, key)
    assert all(0 <= t and 0 <= le and t + h <= height and le + w <= width and h > 0 and w > 0
               for t, le, h, w in mine)
    assert len(set(mine)) > 100


def test_a_crop_is_the_reference_crop_resize_of_its_box():
    """The transform resizes the box it draws as Pillow's antialiased bicubic of that box."""
    img = skimage.data.astronaut()  # RGB (512, 512, 3)
    crop = TensorRandomResizedCrop(scale=(40, 56), crop_ratio_range=(0.5, 0.5),
                                   aspect_ratio_range=(1.0, 1.0), interpolation='bicubic')
    np.random.seed(1)
    top, left, h, w = crop.draw_box(img.shape[:2])
    np.random.seed(1)
    out = crop(dict(img=torch.from_numpy(img).permute(2, 0, 1)))['img']
    assert out.shape == (3, 40, 56) and (h, w) == (362, 362)
    ref = Image.fromarray(img).resize((56, 40), Image.BICUBIC, box=(left, top, left + w, top + h))
    diff = out.permute(1, 2, 0).float() - torch.from_numpy(np.asarray(ref)).float()
    assert diff.abs().mean() < 1.0 and diff.abs().max() <= 24  # edges: kernel rounding


def test_flip_directions_and_the_recipe_names():
    img = torch.arange(24, dtype=torch.uint8).reshape(2, 3, 4)
    for direction, dims in (('horizontal', [-1]), ('vertical', [-2]), ('diagonal', [-2, -1])):
        out = TensorRandomFlip(prob=1.0, direction=direction)(dict(img=img.clone()))['img']
        assert torch.equal(out, img.flip(dims))
    mmcv_flip, ours = RandomFlip(prob=0.3), TensorRandomFlip(prob=0.3)
    np.random.seed(5)
    draws = [mmcv_flip._choose_direction() for _ in range(500)]
    np.random.seed(5)
    assert draws == [ours._choose_direction() for _ in range(500)]
    assert augmentation_name(TensorRandomFlip(prob=0.5)) == 'RandomFlip'
    assert augmentation_name(TensorRandomResizedCrop(**CROP)) == 'RandomResizedCrop'


def test_bad_images_are_named_or_skipped_and_bad_arguments_refused(tmp_path):
    whole = (tmp_path / 'whole.jpg')
    Image.fromarray(skimage.data.coffee()).save(whole)
    (tmp_path / 'truncated.jpg').write_bytes(whole.read_bytes()[:len(whole.read_bytes()) // 2])
    (tmp_path / 'notes.jpg').write_text('not an image')
    for name in ('truncated.jpg', 'notes.jpg'):
        path = str(tmp_path / name)
        with pytest.raises(ConfigError, match=f"image file '{path}' is invalid: cannot be "):
            CheckedLoadImageFromFile(imdecode_backend='torchvision')(dict(img_path=path))
        skip = CheckedLoadImageFromFile(imdecode_backend='torchvision', on_error='skip')
        assert skip(dict(img_path=path)) is None and skip.skipped == 1
    with pytest.raises(ConfigError, match=r"channel_order='BGR' is invalid: expected one of"):
        CheckedLoadImageFromFile(imdecode_backend='torchvision', channel_order='BGR')
    with pytest.raises(ConfigError, match=r'to_float32=True is invalid: expected False'):
        CheckedLoadImageFromFile(imdecode_backend='torchvision', to_float32=True)
    with pytest.raises(ConfigError, match=r"color_type='grayscale' is invalid: expected 'color'"):
        CheckedLoadImageFromFile(imdecode_backend='torchvision', color_type='grayscale')
    with pytest.raises(ConfigError, match=r"interpolation='lanczos' is invalid"):
        TensorRandomResizedCrop(scale=8, interpolation='lanczos')
    with pytest.raises(ConfigError, match=r'needs the \(C, H, W\) tensor'):
        TensorRandomResizedCrop(scale=8)(dict(img=mmcv.imread(str(whole))))
    assert math.isfinite(float(np.asarray(Image.open(whole)).mean()))
