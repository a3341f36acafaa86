"""Layers: attention variants (registered ``'attention'`` parts), masked convolution blocks."""
from .dense_attention import DenseAttention
from .homologous_attention import HomologousAttention
from .masked_conv_block import ChannelLayerNorm, MaskedConvBlock

__all__ = ['DenseAttention', 'HomologousAttention', 'MaskedConvBlock', 'ChannelLayerNorm']
