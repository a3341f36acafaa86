"""Dense multi-head self-attention, the default attention of every encoder layer."""
from mmpretrain.models.utils import MultiheadAttention

from mimtoolkit.registry import register_part


@register_part('attention')
class DenseAttention(MultiheadAttention):
    """mmpretrain's ``MultiheadAttention`` (``F.scaled_dot_product_attention``).

    Registered as the ``'attention'`` part every attention variant of the
    toolkit replaces. Variants subclass it and keep its parameter names
    (``qkv``, ``proj``) so one checkpoint loads into dense and variant layers.

    Input and output: (B, N, C) tokens.
    """

    #: Where it comes from: the paper and section it implements.
    source = "ViT's multi-head self-attention (fused SDPA)"
