"""The attention weights of an encoder layer, and the [CLS] query's over the patches (a
teacher's saliency, the attention-map figures)."""
from typing import Tuple

import torch
import torch.nn as nn

from mimtoolkit.structures import EncoderOutput
from mimtoolkit.utils import require


@torch.no_grad()
def attention_probs(attn: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The attention weights a layer's attention module applies to its input.

    Works for mmpretrain's ``MultiheadAttention`` (dense) and its variants that
    keep its ``qkv``/``num_heads`` layout, and for timm's ``Attention`` (its
    ``head_dim`` and optional q/k norms); a module with ``topk_mask``
    (``HomologousAttention``) sets the dropped keys to weight 0.

    Args:
        attn (nn.Module): The attention module of a layer.
        x (Tensor): (B, N, C) its input (the layer's normalised tokens).

    Returns:
        Tensor: (B, h, N, N) weights; each row sums to 1.
    """
    B, N, _ = x.shape
    head_dims = getattr(attn, 'head_dims', None) or attn.head_dim
    qkv = attn.qkv(x).reshape(B, N, 3, attn.num_heads, head_dims).permute(2, 0, 3, 1, 4)
    q, k = qkv[0], qkv[1]
    if hasattr(attn, 'q_norm'):
        q, k = attn.q_norm(q), attn.k_norm(k)
    logits = q @ k.transpose(-2, -1) * head_dims**-0.5
    if hasattr(attn, 'topk_mask'):
        logits = logits.masked_fill(~attn.topk_mask(q, k), float('-inf'))
    return logits.softmax(dim=-1)


@torch.no_grad()
def layer_attention(backbone: nn.Module, images: torch.Tensor,
                    layer: int = -1) -> Tuple[EncoderOutput, torch.Tensor]:
    """Encode images whole and take one layer's attention weights.

    Args:
        backbone (nn.Module): A ``MIMViT`` (with or without proxies).
        images (Tensor): (B, C, H, W) normalised images (not masked, not mixed).
        layer (int): Layer index (negative from the end). Defaults to the last.

    Returns:
        tuple[EncoderOutput, Tensor]: The encoding, and (B, heads, N, N)
        weights over the N = lead ([CLS] or proxies) + patch tokens.
    """
    block = backbone.layers[layer]
    seen = {}
    handle = block.attn.register_forward_pre_hook(lambda m, args: seen.update(x=args[0]))
    try:
        encoded = backbone.encode(images)
    finally:
        handle.remove()
    return encoded, attention_probs(block.attn, seen['x'])


@torch.no_grad()
def encode_with_cls_attention(backbone: nn.Module, images: torch.Tensor,
                              layer: int = -1) -> Tuple[EncoderOutput, torch.Tensor]:
    """Encode images and take the [CLS] query's attention over the patches in one layer.

    Args:
        backbone (nn.Module): A ``MIMViT``.
        images (Tensor): (B, C, H, W) normalised images (not masked, not mixed).
        layer (int): Layer index (negative from the end). Defaults to the last.

    Returns:
        tuple[EncoderOutput, Tensor]: The encoding, and (B, L) attention
        averaged over heads, each row summing to at most 1 (the rest goes to
        the [CLS] key itself).
    """
    require(backbone.num_extra_tokens > 0, 'backbone.type', type(backbone).__name__,
            'an encoder with a [CLS] token (ConvViT has none: no [CLS] attention)')
    encoded, probs = layer_attention(backbone, images, layer)
    return encoded, probs.mean(dim=1)[:, 0, encoded.num_leading:]
