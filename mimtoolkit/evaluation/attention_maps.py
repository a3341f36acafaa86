"""Attention weights of an encoder layer, e.g. the [CLS] token's map (MixedAE Fig. 5)."""
import torch
import torch.nn as nn


@torch.no_grad()
def attention_probs(attn: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The attention weights a layer's attention module applies to its input.

    Works for mmpretrain's ``MultiheadAttention`` (dense) and its variants that
    keep its ``qkv``/``num_heads`` layout; a module with ``topk_mask``
    (``HomologousAttention``) sets the dropped keys to weight 0.

    Args:
        attn (nn.Module): The attention module of a layer.
        x (Tensor): (B, N, C) its input (the layer's normalised tokens).

    Returns:
        Tensor: (B, h, N, N) weights; each row sums to 1.
    """
    B, N, _ = x.shape
    qkv = attn.qkv(x).reshape(B, N, 3, attn.num_heads, attn.head_dims).permute(2, 0, 3, 1, 4)
    q, k = qkv[0], qkv[1]
    logits = q @ k.transpose(-2, -1) * attn.head_dims**-0.5
    if hasattr(attn, 'topk_mask'):
        logits = logits.masked_fill(~attn.topk_mask(q, k), float('-inf'))
    return logits.softmax(dim=-1)


@torch.no_grad()
def cls_attention_maps(backbone: nn.Module, images: torch.Tensor, layer: int = -1) -> torch.Tensor:
    """The [CLS] query's attention over the patches in one layer, averaged over heads.

    Args:
        backbone (nn.Module): A ``MIMViT``.
        images (Tensor): (B, C, H, W) normalised images (not masked, not mixed).
        layer (int): Layer index (negative from the end). Defaults to the last.

    Returns:
        Tensor: (B, h, w) on the patch grid, each map summing to at most 1
        (the rest goes to the [CLS] key itself).
    """
    block = backbone.layers[layer]
    seen = {}
    handle = block.attn.register_forward_pre_hook(lambda m, args: seen.update(x=args[0]))
    try:
        backbone.encode(images)
    finally:
        handle.remove()
    probs = attention_probs(block.attn, seen['x']).mean(dim=1)  # (B, N, N)
    extra = backbone.num_extra_tokens
    grid = backbone.patch_grid(images.shape[-2:])
    return probs[:, 0, extra:].reshape(-1, *grid)
