"""Encoder layers and attention variants."""
from .dense_attention import DenseAttention

__all__ = ['DenseAttention']
