"""Masked-patch error of a reconstruction against baselines that use no hidden pixel."""
import math
from typing import Dict

import torch
import torch.nn.functional as F


def patch_mask(pixel_mask: torch.Tensor, patch_size: int) -> torch.Tensor:
    """(B, 1, H, W) pixel mask (1 = hidden) -> (B, h·w) patch mask, raster order."""
    return pixel_mask[:, 0, ::patch_size, ::patch_size].flatten(1)


def mean_visible_colour(images: torch.Tensor, pixel_mask: torch.Tensor) -> torch.Tensor:
    """Every pixel painted with its image's mean colour over the visible pixels.

    Args:
        images (Tensor): (B, C, H, W) images.
        pixel_mask (Tensor): (B, 1, H, W), 1 = hidden.

    Returns:
        Tensor: (B, C, H, W).
    """
    visible = 1 - pixel_mask.float()
    colour = (images * visible).sum((2, 3), keepdim=True) / visible.sum((2, 3),
                                                                        keepdim=True).clamp(min=1)
    return colour.expand_as(images)


def nearest_visible_patch(images: torch.Tensor, pixel_mask: torch.Tensor,
                          patch_size: int) -> torch.Tensor:
    """Every hidden patch replaced by a copy of the nearest visible patch.

    Nearest by Euclidean distance on the patch grid; among equally near
    patches the first in raster order. Visible patches stay as they are.

    Args:
        images (Tensor): (B, C, H, W) images.
        pixel_mask (Tensor): (B, 1, H, W), 1 = hidden, constant on patches.
        patch_size (int): Patch side p.

    Returns:
        Tensor: (B, C, H, W).
    """
    B, C, H, W = images.shape
    h, w = H // patch_size, W // patch_size
    hidden = patch_mask(pixel_mask, patch_size).bool()  # (B, L)
    rows, cols = torch.meshgrid(torch.arange(h), torch.arange(w), indexing='ij')
    grid = torch.stack([rows.flatten(), cols.flatten()], 1)
    dist = ((grid[:, None] - grid[None])**2).sum(-1).float().to(images.device)  # (L, L), exact
    dist = dist.unsqueeze(0).masked_fill(hidden.unsqueeze(1), math.inf)  # hidden sources: no
    source = dist.argmin(-1)  # (B, L)
    patches = F.unfold(images, patch_size, stride=patch_size)  # (B, C·p², L)
    copied = torch.gather(patches, 2, source.unsqueeze(1).expand_as(patches))
    return F.fold(copied, (H, W), patch_size, stride=patch_size)


def masked_mse(pred: torch.Tensor, target: torch.Tensor, pixel_mask: torch.Tensor) -> float:
    """Mean squared error over the hidden pixels (all channels)."""
    hidden = pixel_mask.float().expand_as(target)
    return float(((pred.float() - target.float())**2 * hidden).sum() / hidden.sum().clamp(min=1))


def psnr(mse: float, peak: float = 255.0) -> float:
    """Peak signal-to-noise ratio in dB of a mean squared error."""
    return 10 * math.log10(peak**2 / max(mse, 1e-12))


def compare_with_baselines(pred: torch.Tensor, target: torch.Tensor, pixel_mask: torch.Tensor,
                           patch_size: int) -> Dict[str, Dict[str, float]]:
    """Masked-patch MSE and PSNR of a prediction and of the two no-hidden-pixel baselines.

    Args:
        pred (Tensor): (B, C, H, W) the model's prediction, pixels in [0, 255].
        target (Tensor): (B, C, H, W) the true images, pixels in [0, 255].
        pixel_mask (Tensor): (B, 1, H, W), 1 = hidden.
        patch_size (int): Patch side.

    Returns:
        dict: ``{'model' | 'mean visible colour' | 'nearest visible patch':
        {'mse': ..., 'psnr_db': ...}}``.
    """
    candidates = {
        'model': pred,
        'mean visible colour': mean_visible_colour(target, pixel_mask),
        'nearest visible patch': nearest_visible_patch(target, pixel_mask, patch_size),
    }
    out = {}
    for name, image in candidates.items():
        mse = masked_mse(image, target, pixel_mask)
        out[name] = dict(mse=mse, psnr_db=psnr(mse))
    return out
