"""Data transforms (in addition to mmpretrain's and mmcv's)."""
from .checked_load_image import CheckedLoadImageFromFile
from .evaluate_at_input_size import EvaluateAtInputSize
from .gray_to_rgb import GrayToRGB
from .seg_random_resized_crop import SegRandomResizedCrop

__all__ = ['CheckedLoadImageFromFile', 'EvaluateAtInputSize', 'GrayToRGB', 'SegRandomResizedCrop']
