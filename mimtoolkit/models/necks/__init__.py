"""Necks: between the encoder and the heads (disentangle layers, the transfer pyramids;
decoders come from mmpretrain)."""
from .disentangle_neck import DisentangleNeck
from .linear_patch_decoder import LinearPatchDecoder
from .patch_token_mae_decoder import PatchTokenMAEDecoder
from .simple_feature_pyramid import SimpleFeaturePyramid
from .vit_pyramid_neck import ViTPyramidNeck

__all__ = [
    'DisentangleNeck', 'LinearPatchDecoder', 'PatchTokenMAEDecoder', 'SimpleFeaturePyramid',
    'ViTPyramidNeck'
]
