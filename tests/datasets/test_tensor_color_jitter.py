"""TensorColorJitter is mmpretrain's ColorJitter (Pillow backend): the same draws, brightness
and contrast pixel for pixel, saturation within one level; refusals for what it does not do."""
import mmcv
import numpy as np
import pytest
import torch
from mmpretrain.datasets.transforms import ColorJitter

from mimtoolkit.datasets.imagenet_like_jpegs import write_imagenet_like_jpegs
from mimtoolkit.datasets.transforms import CheckedLoadImageFromFile, TensorColorJitter
from mimtoolkit.datasets.transforms.tensor_color_jitter import blend_toward
from mimtoolkit.engine.recipe_facts import augmentation_name
from mimtoolkit.utils import ConfigError

JITTER = dict(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.0)


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    paths = write_imagenet_like_jpegs(str(tmp_path_factory.mktemp('jpegs')), 8)
    return [np.ascontiguousarray(CheckedLoadImageFromFile()(dict(img_path=p))['img'])
            for p in paths]  # BGR uint8, as the tensor loader's buffer


@pytest.mark.parametrize('factor', [0.6, 0.93, 1.0, 1.27, 1.4])
def test_brightness_and_contrast_are_pillow_s_exactly(photos, factor):
    for img in photos[:3]:
        assert np.array_equal(blend_toward(img, factor, 0.0),
                              mmcv.adjust_brightness(img, factor, backend='pillow'))
        mean = float(int(mmcv.bgr2gray(img).mean() + 0.5))  # may differ by rounding only
        want = mmcv.adjust_contrast(img, factor, backend='pillow')
        assert np.abs(blend_toward(img, factor, mean).astype(int) - want).max() <= 1


def test_the_jitter_is_colorjitter_s_draw_for_draw_within_one_level(photos):
    ours, theirs = TensorColorJitter(**JITTER), ColorJitter(**JITTER)
    changed = 0
    for seed, img in enumerate(photos):
        np.random.seed(seed)
        got = ours(dict(img=torch.from_numpy(img).permute(2, 0, 1)))['img']
        np.random.seed(seed)
        want = theirs(dict(img=img.copy()))['img']
        assert got.dtype == torch.uint8 and got.shape == (3, ) + img.shape[:2]
        diff = np.abs(got.permute(1, 2, 0).numpy().astype(int) - want)
        assert diff.max() <= 1 and (diff > 0).mean() < 0.05
        changed += np.abs(want.astype(int) - img).mean() > 1  # the jitter did something
    assert changed >= 6
    assert augmentation_name(ours) == 'ColorJitter'
    assert (ours.brightness, ours.contrast, ours.saturation) == (
        theirs.brightness, theirs.contrast, theirs.saturation)


def test_what_it_does_not_do_is_refused():
    with pytest.raises(ConfigError, match=r'TensorColorJitter.hue=0.1 is invalid'):
        TensorColorJitter(hue=0.1)
    with pytest.raises(ConfigError, match=r"TensorColorJitter.backend='cv2' is invalid"):
        TensorColorJitter(backend='cv2')
    with pytest.raises(ConfigError, match=r'TensorColorJitter got a ndarray image'):
        TensorColorJitter(**JITTER)(dict(img=np.zeros((4, 4, 3), np.uint8)))


@pytest.mark.parametrize('rgb', [False, True], ids=['bgr', 'rgb'])
def test_the_device_jitter_is_pillow_s_exactly_in_either_channel_order(photos, rgb):
    from mimtoolkit.functional import jitter_chw
    ops = {0: mmcv.adjust_brightness, 1: mmcv.adjust_contrast, 2: mmcv.adjust_color}
    for img in photos[:2]:
        chw = torch.from_numpy(img[..., ::-1].copy() if rgb else img).permute(2, 0, 1)
        for op, adjust in ops.items():
            for factor in (0.63, 1.37):
                factors = [None] * 3
                factors[op] = factor
                got = jitter_chw(chw, [op], factors, rgb).permute(1, 2, 0).numpy()
                want = adjust(img, factor, backend='pillow')
                assert np.array_equal(got[..., ::-1] if rgb else got, want), (op, factor)


def test_deferred_jitter_draws_what_colorjitter_draws(photos):
    from mimtoolkit.datasets.transforms import DeferredColorJitter
    np.random.seed(4)
    order, factors = DeferredColorJitter(**JITTER)(dict(img=None))['device_aug'].color_jitter
    theirs = ColorJitter(**JITTER)
    np.random.seed(4)
    want = theirs._rand_params()
    assert order == list(want[0]) and factors == tuple(want[1:4])
