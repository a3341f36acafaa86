"""Encoders."""
from .mim_vit import MIMViT

__all__ = ['MIMViT']
