"""Mixers: blend several images into each encoder input (i-MAE, MixedAE)."""
from .pixel_mixer import PixelMixer

__all__ = ['PixelMixer']
