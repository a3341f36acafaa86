"""Mixers: blend several images into each encoder input (i-MAE, MixedAE)."""
from .patch_mixer import PatchMixer
from .pixel_mixer import PixelMixer

__all__ = ['PixelMixer', 'PatchMixer']
