"""Data transforms (in addition to mmpretrain's and mmcv's)."""
from .checked_load_image import CheckedLoadImageFromFile
from .evaluate_at_input_size import EvaluateAtInputSize
from .gray_to_rgb import GrayToRGB
from .seg_random_resized_crop import SegRandomResizedCrop
from .tensor_random_flip import TensorRandomFlip
from .tensor_random_resized_crop import TensorRandomResizedCrop

__all__ = [
    'CheckedLoadImageFromFile', 'EvaluateAtInputSize', 'GrayToRGB', 'SegRandomResizedCrop',
    'TensorRandomFlip', 'TensorRandomResizedCrop'
]
