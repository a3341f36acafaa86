"""ConvMAE's convolution stages in front of the transformer, masked block-wise."""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn

from mimtoolkit.models.layers import ChannelLayerNorm, MaskedConvBlock


def upsample_visible(visible: torch.Tensor, factor: int) -> torch.Tensor:
    """A (B, 1, h, w) patch-grid visibility map as blocks on a grid ``factor`` times finer."""
    return visible.repeat_interleave(factor, dim=2).repeat_interleave(factor, dim=3)


class ConvPatchEmbed(nn.Module):
    """ConvMAE's patch embedding: strided conv -> channel LayerNorm (eps 1e-5) -> GELU.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        patch_size (int): Kernel and stride.
    """

    def __init__(self, in_channels: int, out_channels: int, patch_size: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(in_channels, out_channels, patch_size, patch_size)
        self.norm = ChannelLayerNorm(out_channels)
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C_in, H, W) -> (B, C_out, H / p, W / p)."""
        return self.act(self.norm(self.proj(x)))


class MaskedConvStem(nn.Module):
    """Stages 1-2 (masked convolution blocks) and stage 3's patch embedding of ConvViT.

    As ConvMAE's encoder (``models_convmae.py``): each stage s embeds
    non-overlapping ``patch_sizes[s]`` patches with a :class:`ConvPatchEmbed`
    (conv, LayerNorm, GELU); stages 1 and 2 then run ``MaskedConvBlock`` s at
    1/p1 and 1/(p1·p2) of the input; stage 3's embedded patches, flattened,
    go through a ``Linear(d3, d3)`` (``projection``, ConvMAE's
    ``patch_embed4``) to become the transformer's tokens. The mask, drawn on
    the transformer's 1/(p1·p2·p3) grid, is upsampled as blocks to the conv
    grids, so no information crosses from a masked patch into a visible one.
    With ``stage_fusion``, the stage-1/2 maps are also projected to the
    transformer width by strided convolutions (``fuse1``, ``fuse2``:
    ConvMAE's ``stage1_output_decode``, ``stage2_output_decode``), one token
    per patch, for the multi-scale fusion of pretraining.

    Args:
        in_channels (int): Image channels.
        embed_dims (Sequence[int]): Widths of the three stages.
        depths (Sequence[int]): Blocks of stages 1 and 2.
        patch_sizes (Sequence[int]): Down-sampling of each stage.
        mlp_ratio (float): MLP width ratio of the conv blocks.
        drop_path_rates (Sequence[float]): One per conv block.
        stage_fusion (bool): Build ``fuse1``/``fuse2``. Defaults to True.
    """

    def __init__(self, in_channels: int, embed_dims: Sequence[int], depths: Sequence[int],
                 patch_sizes: Sequence[int], mlp_ratio: float,
                 drop_path_rates: Sequence[float], stage_fusion: bool = True) -> None:
        super().__init__()
        d1, d2, d3 = embed_dims
        p1, p2, p3 = patch_sizes
        self.patch_sizes = tuple(patch_sizes)
        rates = list(drop_path_rates)
        self.stage1_embed = ConvPatchEmbed(in_channels, d1, p1)
        self.stage1 = nn.ModuleList(
            MaskedConvBlock(d1, mlp_ratio, rates.pop(0)) for _ in range(depths[0]))
        self.stage2_embed = ConvPatchEmbed(d1, d2, p2)
        self.stage2 = nn.ModuleList(
            MaskedConvBlock(d2, mlp_ratio, rates.pop(0)) for _ in range(depths[1]))
        self.stage3_embed = ConvPatchEmbed(d2, d3, p3)
        self.projection = nn.Linear(d3, d3)
        self.stage_fusion = stage_fusion
        if stage_fusion:
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
        tokens = self.stage3_embed(s2)
        hw = tuple(tokens.shape[-2:])
        return self.projection(tokens.flatten(2).transpose(1, 2)), hw, [s1, s2]

    def fused(self, maps: List[torch.Tensor]) -> torch.Tensor:
        """Stage-1/2 maps as one (B, h·w, d3) token per transformer patch (their sum)."""
        s1, s2 = maps
        return (self.fuse1(s1) + self.fuse2(s2)).flatten(2).transpose(1, 2)


def drop_path_rates(depths: Sequence[int], drop_path_rate: float) -> np.ndarray:
    """Stochastic depth rising linearly over all blocks of all stages (ConvMAE)."""
    return np.linspace(0, drop_path_rate, int(sum(depths)))
