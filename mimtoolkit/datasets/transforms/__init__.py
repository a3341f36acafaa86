"""Data transforms (in addition to mmpretrain's and mmcv's)."""
from .checked_load_image import CheckedLoadImageFromFile
from .deferred_color_jitter import DeferredColorJitter
from .deferred_random_flip import DeferredRandomFlip
from .deferred_random_resized_crop import DeferredRandomResizedCrop
from .evaluate_at_input_size import EvaluateAtInputSize
from .gray_to_rgb import GrayToRGB
from .seg_random_resized_crop import SegRandomResizedCrop
from .tensor_color_jitter import TensorColorJitter
from .tensor_random_flip import TensorRandomFlip
from .tensor_random_resized_crop import TensorRandomResizedCrop

__all__ = [
    'CheckedLoadImageFromFile', 'DeferredColorJitter', 'DeferredRandomFlip',
    'DeferredRandomResizedCrop', 'EvaluateAtInputSize', 'GrayToRGB', 'SegRandomResizedCrop',
    'TensorColorJitter', 'TensorRandomFlip', 'TensorRandomResizedCrop'
]
