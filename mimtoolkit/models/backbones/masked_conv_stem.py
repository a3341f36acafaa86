"""ConvMAE's convolution stages in front of the transformer, masked block-wise."""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn

from mimtoolkit.models.layers import ChannelLayerNorm, MaskedConvBlock


def upsample_visible(visible: torch.Tensor, factor: int) -> torch.Tensor:
    """A (B, 1, h, w) patch-grid visibility map as blocks on a grid ``factor`` times finer."""
    return visible.repeat_interleave(factor, dim=2).repeat_interleave(factor, dim=3)


class MaskedConvStem(nn.Module):
    """Stages 1-2 (masked convolution blocks) and stage 3's patch embedding of ConvViT.

    Stage s embeds non-overlapping ``patch_sizes[s]`` patches with a strided
    convolution and a channel LayerNorm; stages 1 and 2 then run
    ``MaskedConvBlock`` s at 1/p1 and 1/(p1·p2) of the input. The mask, drawn
    on the transformer's 1/(p1·p2·p3) grid, is upsampled as blocks to those
    grids, so no information crosses from a masked patch into a visible one.
    The stage-1/2 maps are also projected to the transformer width by strided
    convolutions (``fuse1``, ``fuse2``), one token per patch, for ConvMAE's
    multi-scale fusion.

    Args:
        in_channels (int): Image channels.
        embed_dims (Sequence[int]): Widths of the three stages.
        depths (Sequence[int]): Blocks of stages 1 and 2.
        patch_sizes (Sequence[int]): Down-sampling of each stage.
        mlp_ratio (float): MLP width ratio of the conv blocks.
        drop_path_rates (Sequence[float]): One per conv block.
    """

    def __init__(self, in_channels: int, embed_dims: Sequence[int], depths: Sequence[int],
                 patch_sizes: Sequence[int], mlp_ratio: float,
                 drop_path_rates: Sequence[float]) -> None:
        super().__init__()
        d1, d2, d3 = embed_dims
        p1, p2, p3 = patch_sizes
        self.patch_sizes = tuple(patch_sizes)
        self.stage1_embed = nn.Sequential(nn.Conv2d(in_channels, d1, p1, p1),
                                          ChannelLayerNorm(d1, eps=1e-6))
        rates = list(drop_path_rates)
        self.stage1 = nn.ModuleList(
            MaskedConvBlock(d1, mlp_ratio, rates.pop(0)) for _ in range(depths[0]))
        self.stage2_embed = nn.Sequential(nn.Conv2d(d1, d2, p2, p2), ChannelLayerNorm(d2, eps=1e-6))
        self.stage2 = nn.ModuleList(
            MaskedConvBlock(d2, mlp_ratio, rates.pop(0)) for _ in range(depths[1]))
        self.projection = nn.Conv2d(d2, d3, p3, p3)
        self.norm = nn.LayerNorm(d3, eps=1e-6)
        self.fuse1 = nn.Conv2d(d1, d3, p2 * p3, p2 * p3)
        self.fuse2 = nn.Conv2d(d2, d3, p3, p3)

    def forward(self, x: torch.Tensor, visible: Optional[torch.Tensor] = None
                ) -> Tuple[torch.Tensor, Tuple[int, int], List[torch.Tensor]]:
        """Run stages 1-2 and embed stage 3's patches.

        Args:
            x (Tensor): (B, C, H, W) images.
            visible (Tensor, optional): (B, 1, h, w) on the transformer grid
                (h = H / (p1·p2·p3)), 1 = visible; None: nothing masked.

        Returns:
            tuple: Patch tokens (B, h·w, d3), the grid (h, w), and the stage
            maps ``[(B, d1, H/p1, W/p1), (B, d2, H/(p1·p2), W/(p1·p2))]``.
        """
        _, p2, p3 = self.patch_sizes
        s1 = self.stage1_embed(x)
        vis1 = None if visible is None else upsample_visible(visible, p2 * p3)
        for block in self.stage1:
            s1 = block(s1, vis1)
        s2 = self.stage2_embed(s1)
        vis2 = None if visible is None else upsample_visible(visible, p3)
        for block in self.stage2:
            s2 = block(s2, vis2)
        tokens = self.projection(s2)
        hw = tuple(tokens.shape[-2:])
        return self.norm(tokens.flatten(2).transpose(1, 2)), hw, [s1, s2]

    def fused(self, maps: List[torch.Tensor]) -> torch.Tensor:
        """Stage-1/2 maps as one (B, h·w, d3) token per transformer patch (their sum)."""
        s1, s2 = maps
        return (self.fuse1(s1) + self.fuse2(s2)).flatten(2).transpose(1, 2)


def drop_path_rates(depths: Sequence[int], drop_path_rate: float) -> np.ndarray:
    """Stochastic depth rising linearly over all blocks of all stages (ConvMAE)."""
    return np.linspace(0, drop_path_rate, int(sum(depths)))
