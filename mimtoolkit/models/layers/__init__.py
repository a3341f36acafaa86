"""Layers: attention variants (``'attention'`` parts), SemanticMIM's proxy block (a
``'block'`` part), masked convolution blocks."""
from .dense_attention import DenseAttention
from .homologous_attention import HomologousAttention
from .masked_conv_block import ChannelLayerNorm, MaskedConvBlock
from .proxy_block import ProxyBlock, ProxyCrossAttention

__all__ = [
    'DenseAttention', 'HomologousAttention', 'MaskedConvBlock', 'ChannelLayerNorm', 'ProxyBlock',
    'ProxyCrossAttention'
]
