"""Encoders."""
from .conv_vit import ConvViT
from .mim_vit import MIMViT

__all__ = ['MIMViT', 'ConvViT']
