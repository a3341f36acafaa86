"""Layers: attention variants (registered ``'attention'`` parts)."""
from .dense_attention import DenseAttention
from .homologous_attention import HomologousAttention

__all__ = ['DenseAttention', 'HomologousAttention']
