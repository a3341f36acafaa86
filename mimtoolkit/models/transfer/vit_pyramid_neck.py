"""ViTPyramidNeck: a plain ViT's single-scale maps as a stride 4/8/16/32 pyramid."""
from typing import Sequence, Tuple

import torch
from mmseg.models.necks import Feature2Pyramid

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require

_RESCALES = ([4, 2, 1, 0.5], [2, 1, 0.5, 0.25])


@register_part('neck')
class ViTPyramidNeck(Feature2Pyramid):
    """mmseg's ``Feature2Pyramid``, reachable from mmseg and mmdet configs alike.

    The ViT's maps at ``out_indices`` (all stride ``p``) are rescaled one each:
    x4 by two 2x2 deconvolutions (with a norm and GELU between), x2 by one,
    x1 unchanged, x0.5 (and x0.25) by max-pooling — the BEiT/MAE recipe for
    UperNet, and the multi-scale input of mmdet's FPN. Build it as
    ``type='mimtoolkit.ViTPyramidNeck'``; the argument is checked here rather
    than by an assert deep inside the forward.

    Args:
        embed_dim (int): Channels of the ViT maps (kept at every scale).
        rescales (Sequence[float]): ``[4, 2, 1, 0.5]`` (patch 16 -> strides
            4, 8, 16, 32) or ``[2, 1, 0.5, 0.25]`` (patch 8).
        norm_cfg (dict): Norm inside the x4 branch. Defaults to SyncBN, as
            mmseg; use ``dict(type='BN')`` (batch >= 2) or ``'GN'`` on one CPU process.
    """

    #: Where a config puts it (for the parts catalogue).
    slot = 'the `neck` of a downstream mmdet/mmseg config'

    #: Where it comes from: the paper and section it implements.
    source = 'BEiT/MAE dense transfer: 4 scales from one ViT map (downstream)'

    def __init__(self,
                 embed_dim: int,
                 rescales: Sequence[float] = (4, 2, 1, 0.5),
                 norm_cfg: dict = dict(type='SyncBN', requires_grad=True)) -> None:
        require(list(rescales) in _RESCALES, 'neck.rescales', rescales,
                f'one of {_RESCALES} (one factor per backbone output)')
        super().__init__(embed_dim, list(rescales), norm_cfg)

    def forward(self, inputs: Sequence[torch.Tensor]) -> Tuple[torch.Tensor, ...]:
        """Rescale the i-th map by the i-th factor.

        Args:
            inputs (Sequence[Tensor]): 4 maps (B, C, H/p, W/p).

        Returns:
            tuple[Tensor]: (B, C, H/p * r, W/p * r) for each factor r.
        """
        require(len(inputs) == len(self.rescales), 'backbone.out_indices',
                f'{len(inputs)} outputs', f'one output per neck.rescales {self.rescales}')
        return super().forward(inputs)
