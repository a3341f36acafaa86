"""Attention weights of an encoder layer, e.g. the [CLS] token's map (MixedAE Fig. 5)."""
from typing import Tuple

import torch
import torch.nn as nn

from mimtoolkit.functional import encode_with_cls_attention, layer_attention


@torch.no_grad()
def cls_attention_maps(backbone: nn.Module, images: torch.Tensor, layer: int = -1) -> torch.Tensor:
    """The [CLS] query's attention over the patches in one layer, averaged over heads.

    Args:
        backbone (nn.Module): A ``MIMViT``.
        images (Tensor): (B, C, H, W) normalised images (not masked, not mixed).
        layer (int): Layer index (negative from the end). Defaults to the last.

    Returns:
        Tensor: (B, h, w) on the patch grid (see :func:`encode_with_cls_attention`).
    """
    _, attention = encode_with_cls_attention(backbone, images, layer)
    return attention.reshape(-1, *backbone.patch_grid(images.shape[-2:]))


@torch.no_grad()
def query_attention_maps(backbone: nn.Module, images: torch.Tensor, queries,
                         layer: int = -1) -> torch.Tensor:
    """Attention of chosen query tokens over the patches, averaged over heads.

    Args:
        backbone (nn.Module): A ``MIMViT``.
        images (Tensor): (B, C, H, W) normalised images.
        queries (Sequence[int]): Token indices (0 .. lead-1: [CLS] or the
            proxies; lead + i: patch i in raster order).
        layer (int): Layer index. Defaults to the last.

    Returns:
        Tensor: (B, Q, h, w) maps on the patch grid.
    """
    encoded, probs = layer_attention(backbone, images, layer)
    lead = encoded.num_leading
    maps = probs.mean(dim=1)[:, list(queries), lead:]
    return maps.reshape(*maps.shape[:2], *backbone.patch_grid(images.shape[-2:]))


def mean_attention_distance(probs: torch.Tensor, lead: int, grid: Tuple[int, int],
                            patch_size: int) -> torch.Tensor:
    """Mean attention distance per head (ViT, Dosovitskiy et al., Fig. 7; SemanticMIM App. A).

    For every patch query, the pixel distance to each patch key weighted by
    the attention it gives that key (renormalised over patch keys), averaged
    over queries and images.

    Args:
        probs (Tensor): (B, heads, N, N) attention weights, N = lead + h·w.
        lead (int): Tokens before the patches ([CLS] or proxies).
        grid (tuple[int, int]): (h, w).
        patch_size (int): Pixels per patch side.

    Returns:
        Tensor: (heads,) distances in pixels.
    """
    h, w = grid
    ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing='ij')
    coords = torch.stack([ys.flatten(), xs.flatten()], 1).float() * patch_size
    dist = torch.cdist(coords, coords).to(probs)  # (L, L)
    patch = probs[:, :, lead:, lead:]
    patch = patch / patch.sum(-1, keepdim=True).clamp(min=1e-12)
    return (patch * dist).sum(-1).mean(dim=(0, 2))
