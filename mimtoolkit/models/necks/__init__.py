"""Necks: between the encoder and the heads (disentangle layers; decoders come from mmpretrain)."""
from .disentangle_neck import DisentangleNeck

__all__ = ['DisentangleNeck']
