"""Encoders."""
from .conv_vit import ConvViT
from .mim_vit import MIMViT
from .proxy_vit import ProxyViT
from .token_flow import TokenFlow

__all__ = ['MIMViT', 'ConvViT', 'ProxyViT', 'TokenFlow']
