"""SimpleFeaturePyramid: ViTDet's pyramid from a plain ViT's last map, no FPN after it."""
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mimtoolkit.models.layers.masked_conv_block import ChannelLayerNorm
from mimtoolkit.registry import register_part
from mimtoolkit.utils import require

_SCALES = (4.0, 2.0, 1.0, 0.5, 0.25)


def _rescale(channels: int, scale: float) -> Tuple[nn.Module, int]:
    """ViTDet's rescaling of one level and the channels it leaves."""
    if scale == 4.0:
        half = channels // 2
        return nn.Sequential(
            nn.ConvTranspose2d(channels, half, 2, stride=2), ChannelLayerNorm(half, eps=1e-6),
            nn.GELU(), nn.ConvTranspose2d(half, half // 2, 2, stride=2)), half // 2
    if scale == 2.0:
        return nn.ConvTranspose2d(channels, channels // 2, 2, stride=2), channels // 2
    if scale in (0.5, 0.25):
        stride = round(1 / scale)
        return nn.MaxPool2d(stride, stride), channels
    return nn.Identity(), channels


@register_part('neck')
class SimpleFeaturePyramid(BaseModule):
    """ViTDet's simple feature pyramid (Li et al., 2022), as MR-MAE's Mask R-CNN uses it.

    Level i rescales a backbone map by ``scale_factors[i]`` (x4: two 2x2
    deconvolutions with a LayerNorm and GELU between, halving the channels
    each; x2: one; x1: as is; x0.5: 2x2 max-pool; x0.25, for a patch-8 ViT's
    ``[2, 1, 0.5, 0.25]``: 4x4 max-pool), then projects it to
    ``out_channels`` by a 1x1 and a 3x3 convolution, each without bias and
    followed by a channel LayerNorm (eps 1e-6). With ``num_outs`` one more than
    the levels, the last level is max-pooled once more (stride 1 kernel, stride
    2: ViTDet's ``LastLevelMaxPool``, the RPN's P6). No top-down path.

    A plain ViT gives one map (stride 16) and every level reads it; a
    multi-scale backbone (ConvViT: strides 4/8/16/32) gives one map per level
    and ``scale_factors=[1, 1, 1, 1]`` keeps each.

    Args:
        in_channels (Sequence[int]): Channels of the map each level reads.
        out_channels (int): Channels of every output. Defaults to 256.
        scale_factors (Sequence[float]): One of 4, 2, 1, 0.5, 0.25 per level.
            Defaults to ViTDet's ``[4, 2, 1, 0.5]``.
        num_outs (int): Levels out: ``len(scale_factors)`` or one more.
            Defaults to 5.
        init_cfg (dict, optional): Initialisation config.
    """

    #: Where a config puts it (for the parts catalogue).
    slot = 'the `neck` of a downstream mmdet/mmseg config'

    #: Where it comes from: the paper and section it implements.
    source = 'ViTDet (Li et al. 2022) §3, simple feature pyramid (downstream)'

    def __init__(self,
                 in_channels: Sequence[int] = (768, 768, 768, 768),
                 out_channels: int = 256,
                 scale_factors: Sequence[float] = (4.0, 2.0, 1.0, 0.5),
                 num_outs: int = 5,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        require(len(in_channels) == len(scale_factors), 'neck.in_channels', list(in_channels),
                f'one channel count per neck.scale_factors {list(scale_factors)}')
        require(all(s in _SCALES for s in scale_factors), 'neck.scale_factors',
                list(scale_factors), 'factors among 4, 2, 1, 0.5, 0.25')
        require(num_outs in (len(scale_factors), len(scale_factors) + 1), 'neck.num_outs',
                num_outs, f'{len(scale_factors)} or {len(scale_factors) + 1} (with P6)')
        self.num_outs = num_outs
        self.rescales = nn.ModuleList()
        self.projections = nn.ModuleList()
        for channels, scale in zip(in_channels, scale_factors):
            rescale, mid = _rescale(channels, float(scale))
            self.rescales.append(rescale)
            self.projections.append(nn.Sequential(
                nn.Conv2d(mid, out_channels, 1, bias=False),
                ChannelLayerNorm(out_channels, eps=1e-6),
                nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
                ChannelLayerNorm(out_channels, eps=1e-6)))

    def forward(self, inputs: Sequence[torch.Tensor]) -> Tuple[torch.Tensor, ...]:
        """The pyramid.

        Args:
            inputs (Sequence[Tensor]): One (B, C, h, w) map (every level reads
                it) or one map per level.

        Returns:
            tuple[Tensor]: ``num_outs`` maps (B, out_channels, h·s, w·s).
        """
        levels = len(self.rescales)
        require(len(inputs) in (1, levels), 'backbone.out_indices', f'{len(inputs)} outputs',
                f'1 (every level reads it) or {levels} (one per neck level)')
        maps = list(inputs) if len(inputs) == levels else [inputs[-1]] * levels
        outs: List[torch.Tensor] = [project(rescale(x)) for x, rescale, project in
                                    zip(maps, self.rescales, self.projections)]
        if self.num_outs > levels:
            outs.append(F.max_pool2d(outs[-1], kernel_size=1, stride=2))
        return tuple(outs)
