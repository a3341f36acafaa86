"""Necks: between the encoder and the heads (disentangle layers; decoders come from mmpretrain)."""
from .disentangle_neck import DisentangleNeck
from .linear_patch_decoder import LinearPatchDecoder

__all__ = ['DisentangleNeck', 'LinearPatchDecoder']
