"""Data preprocessors (in addition to mmpretrain's)."""
from .device_augment_data_preprocessor import DeviceAugmentDataPreprocessor

__all__ = ['DeviceAugmentDataPreprocessor']
