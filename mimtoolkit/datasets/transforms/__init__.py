"""Data transforms (in addition to mmpretrain's and mmcv's)."""
from .gray_to_rgb import GrayToRGB

__all__ = ['GrayToRGB']
