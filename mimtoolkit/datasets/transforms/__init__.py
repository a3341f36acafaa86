"""Data transforms (in addition to mmpretrain's and mmcv's)."""
from .checked_load_image import CheckedLoadImageFromFile
from .gray_to_rgb import GrayToRGB

__all__ = ['CheckedLoadImageFromFile', 'GrayToRGB']
