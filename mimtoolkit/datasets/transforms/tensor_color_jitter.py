"""mmpretrain's ColorJitter (Pillow backend) on the tensor pipeline's uint8 image: the same
draws, OpenCV's uint8 kernels, pixels within one level of Pillow's."""
import cv2
import numpy as np
import torch
from mmpretrain.datasets.transforms import ColorJitter

from mimtoolkit.functional.image_ops import BRIGHTNESS, CONTRAST
from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.utils import ConfigError, require

#: floor(x) as OpenCV's round-half-to-even of x - ROUND_DOWN: an exact integer (50 x 0.7)
#: stays itself, as in Pillow's float32 arithmetic
ROUND_DOWN = 0.5 - 1e-3
LEVELS = np.arange(256, dtype=np.float32)


def blend_toward(img: np.ndarray, factor: float, degenerate) -> np.ndarray:
    """``Image.blend(degenerate, img, factor)`` as Pillow computes it: ``degenerate +
    factor * (img - degenerate)`` in float32, rounded down, saturated to [0, 255].

    Toward a grey level (brightness: 0; contrast: the mean) it is a 256-entry table, built
    with Pillow's float32 arithmetic and applied by ``cv2.LUT`` (exact); toward an image
    (saturation) one ``cv2.addWeighted`` pass (within one level).

    Args:
        img: (H, W, 3) uint8.
        factor: The enhancement factor (1: unchanged).
        degenerate: A number (the grey level) or an (H, W, 3) uint8 image.
    """
    if isinstance(degenerate, np.ndarray):
        return cv2.addWeighted(img, factor, degenerate, 1.0 - factor, -ROUND_DOWN)
    low = np.float32(degenerate)
    table = low + np.float32(factor) * (LEVELS - low)
    return cv2.LUT(img, np.clip(table, 0, 255).astype(np.uint8))


def jitter_hwc(img: np.ndarray, order, factors) -> np.ndarray:
    """mmcv's Pillow ``adjust_brightness`` / ``adjust_contrast`` / ``adjust_color`` (what
    ``ColorJitter`` calls) in ``order`` on a BGR uint8 image.

    Args:
        img: (H, W, 3) uint8 BGR.
        order: ColorJitter's permutation of 0..3.
        factors: (brightness, contrast, saturation) factors; None: not applied.

    Returns:
        np.ndarray: (H, W, 3) uint8 BGR.
    """
    for op in order:
        factor = factors[op] if op < 3 else None
        if factor is None:
            continue
        if op == BRIGHTNESS:  # ImageEnhance.Brightness: toward black
            img = blend_toward(img, factor, 0.0)
        elif op == CONTRAST:  # ImageEnhance.Contrast: toward the grey image's rounded mean
            img = blend_toward(img, factor,
                               float(int(cv2.mean(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))[0] + 0.5)))
        else:  # ImageEnhance.Color: toward the grey image
            gray = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
            img = blend_toward(img, factor, gray)
    return img


@TRANSFORMS.register_module()
class TensorColorJitter(ColorJitter):
    """ColorJitter for the tensor pipeline: mmpretrain's draws (its ``_rand_params``: the
    random order and the factors), applied to the (3, H, W) uint8 BGR tensor's HWC buffer
    as its default Pillow backend applies them (``ImageEnhance`` Brightness, Contrast,
    Color: blends rounded down), with OpenCV's uint8 kernels: brightness and contrast
    exactly (a lookup table); saturation within one level (OpenCV's grey image and
    blend round differently from Pillow's), as is a contrast whose grey mean lands on
    the other side of a rounding boundary.
    Hue is refused: no recipe here jitters it.

    Args:
        brightness, contrast, saturation: As ``ColorJitter``.
        hue: Must be 0.
        backend (str): Only ``'pillow'``, the backend it reproduces.
    """

    #: What a recipe reads it as (``mimtoolkit.engine.recipe_facts``).
    same_augmentation_as = 'ColorJitter'

    def __init__(self, brightness=0., contrast=0., saturation=0., hue=0.,
                 backend: str = 'pillow') -> None:
        require(hue == 0, 'TensorColorJitter.hue', hue, '0 (use ColorJitter to jitter hue)')
        require(backend == 'pillow', 'TensorColorJitter.backend', backend, "'pillow'")
        super().__init__(brightness, contrast, saturation, hue, backend)

    def transform(self, results: dict) -> dict:
        """Jitter ``results['img']`` ((3, H, W) uint8 BGR tensor)."""
        img = results['img']
        if not isinstance(img, torch.Tensor):
            raise ConfigError(
                f'TensorColorJitter got a {type(img).__name__} image: it needs the (3, H, W) '
                "tensor of dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision')")
        order, brightness, contrast, saturation, _ = self._rand_params()
        hwc = np.ascontiguousarray(img.permute(1, 2, 0).numpy())  # no copy for the loader's
        out = jitter_hwc(hwc, order, (brightness, contrast, saturation))
        results['img'] = torch.from_numpy(out).permute(2, 0, 1)
        return results
