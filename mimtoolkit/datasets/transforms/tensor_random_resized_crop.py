"""mmpretrain's RandomResizedCrop on a uint8 (C, H, W) tensor: the same boxes, one antialiased
crop-and-resize call."""
import numpy as np
import torch
import torch.nn.functional as F
from mmpretrain.datasets.transforms import RandomResizedCrop

from mimtoolkit.registry import TRANSFORMS
from mimtoolkit.utils import ConfigError, require

#: interpolation -> (F.interpolate mode, antialias)
INTERPOLATIONS = {'nearest': ('nearest', False), 'bilinear': ('bilinear', True),
                  'bicubic': ('bicubic', True)}


@TRANSFORMS.register_module()
class TensorRandomResizedCrop(RandomResizedCrop):
    """RandomResizedCrop for the tensor pipeline (after ``CheckedLoadImageFromFile`` with
    ``imdecode_backend='torchvision'``).

    The box is drawn by mmpretrain's own ``rand_crop_params`` (scale and aspect-ratio ranges,
    ``max_attempts`` tries, the central-crop fallback): the same boxes, draw for draw, as
    ``RandomResizedCrop`` under the same numpy seed. The box (a view) is resized in one
    ``F.interpolate`` call on the uint8 tensor, antialiased as Pillow's and torchvision's
    filters are (OpenCV's cv2 resize is not), output uint8. (torch's uint8 kernel is fastest
    on the channels-last view the loader gives.)

    Args:
        scale (int | Sequence[int]): Output (h, w), or one side of a square.
        crop_ratio_range, aspect_ratio_range, max_attempts: As ``RandomResizedCrop``.
        interpolation (str): One of ``'nearest'``, ``'bilinear'``, ``'bicubic'``.
        backend (str): Only ``'torchvision'`` (the argument is mmpretrain's).
    """

    #: What a recipe reads it as (``mimtoolkit.engine.recipe_facts``).
    same_augmentation_as = 'RandomResizedCrop'

    def __init__(self, scale, crop_ratio_range=(0.08, 1.0),
                 aspect_ratio_range=(3. / 4., 4. / 3.), max_attempts: int = 10,
                 interpolation: str = 'bilinear', backend: str = 'torchvision') -> None:
        require(interpolation in INTERPOLATIONS, 'TensorRandomResizedCrop.interpolation',
                interpolation, f'one of {tuple(INTERPOLATIONS)}')
        require(backend == 'torchvision', 'TensorRandomResizedCrop.backend', backend,
                "'torchvision'")
        super().__init__(scale, crop_ratio_range, aspect_ratio_range, max_attempts,
                         interpolation, backend)

    def draw_box(self, shape) -> tuple:
        """mmpretrain's box for an image of ``shape`` (H, W): (top, left, height, width)."""
        # rand_crop_params reads only shape[:2]: a (H, W) view of one byte stands for the image
        box = self.rand_crop_params(np.broadcast_to(np.zeros(1, np.uint8), tuple(shape)))
        return tuple(int(v) for v in box)

    def transform(self, results: dict) -> dict:
        """Crop and resize ``results['img']`` ((C, H, W) uint8 tensor)."""
        img = results['img']
        if not isinstance(img, torch.Tensor):
            raise ConfigError(
                f"TensorRandomResizedCrop got a {type(img).__name__} image: it needs the (C, H, "
                "W) tensor of dict(type='CheckedLoadImageFromFile', "
                "imdecode_backend='torchvision')")
        top, left, height, width = self.draw_box(tuple(img.shape[1:]))
        mode, antialias = INTERPOLATIONS[self.interpolation]
        img = F.interpolate(img[None, :, top:top + height, left:left + width],
                            size=tuple(self.scale), mode=mode, antialias=antialias)[0]
        results['img'] = img
        results['img_shape'] = tuple(img.shape[1:])
        return results
