"""ConvMAE's convolution block with a visibility mask (no leakage from masked patches)."""
from typing import Optional

import torch
import torch.nn as nn
from mmcv.cnn.bricks import DropPath


class ChannelLayerNorm(nn.LayerNorm):
    """LayerNorm over the channels of a (B, C, H, W) map, position by position."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Normalise each position's C channels; (B, C, H, W) -> (B, C, H, W)."""
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class MaskedConvBlock(nn.Module):
    """ConvMAE's ``CBlock``: a masked 5x5 depth-wise convolution and a 1x1 MLP.

    ``x + conv2(dw5x5(visible · conv1(norm1(x))))`` then ``x + mlp(norm2(x))``,
    channel LayerNorms with PyTorch's default eps 1e-5 (ConvMAE's ``CBlock``).
    Every operation but the depth-wise convolution works position by position,
    and the depth-wise convolution sees only visible positions (the others are
    zeroed just before it), so outputs at visible positions never depend on
    masked pixels.

    Args:
        dims (int): Channels C.
        mlp_ratio (float): MLP hidden width over C. Defaults to 4.
        drop_path (float): Stochastic depth rate. Defaults to 0.
    """

    def __init__(self, dims: int, mlp_ratio: float = 4., drop_path: float = 0.) -> None:
        super().__init__()
        hidden = int(dims * mlp_ratio)
        self.norm1 = ChannelLayerNorm(dims)  # PyTorch's eps 1e-5, as ConvMAE's CBlock
        self.conv1 = nn.Conv2d(dims, dims, 1)
        self.attn = nn.Conv2d(dims, dims, 5, padding=2, groups=dims)
        self.conv2 = nn.Conv2d(dims, dims, 1)
        self.norm2 = ChannelLayerNorm(dims)
        self.mlp = nn.Sequential(nn.Conv2d(dims, hidden, 1), nn.GELU(), nn.Conv2d(hidden, dims, 1))
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor, visible: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Run the block.

        Args:
            x (Tensor): (B, C, H, W).
            visible (Tensor, optional): (B, 1, H, W), 1 = visible, 0 = masked;
                None: all visible.

        Returns:
            Tensor: (B, C, H, W).
        """
        y = self.conv1(self.norm1(x))
        if visible is not None:
            y = y * visible.to(y.dtype)
        x = x + self.drop_path(self.conv2(self.attn(y)))
        return x + self.drop_path(self.mlp(self.norm2(x)))
