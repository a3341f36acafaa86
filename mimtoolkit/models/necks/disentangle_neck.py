"""i-MAE's disentangle layers: one linear map per mixed-in image."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require


@register_part('neck')
class DisentangleNeck(BaseModule):
    """Non-shared linear layers F_1 … F_n on the mixed encoder features.

    ``h_i = F_i(h_m)`` for every token ([CLS] included), each in the encoder's
    feature space by default, so the outputs feed the shared decoder and can
    be distilled against a teacher encoder's features.

    Args:
        in_channels (int): Encoder width C.
        out_channels (int, optional): Width of each h_i. Defaults to C.
        num_branches (int): n; i-MAE has 2 (subordinate, dominant), i-MAE-sub 1.
        init_cfg (dict, optional): Defaults to Xavier-uniform, zero bias.
    """

    #: Where a config puts it (for the parts catalogue).
    slot = "i-MAE's `disentangle`"

    #: Where it comes from: the paper and section it implements.
    source = 'i-MAE (Zhang & Shen) §3.1, linear disentangle layers F_1, F_2'

    def __init__(self,
                 in_channels: int,
                 out_channels: Optional[int] = None,
                 num_branches: int = 2,
                 init_cfg: Optional[dict] = dict(type='Xavier', layer='Linear',
                                                 distribution='uniform')) -> None:
        super().__init__(init_cfg=init_cfg)
        require(isinstance(num_branches, int) and num_branches >= 1,
                'model.disentangle.num_branches', num_branches, 'an int >= 1')
        self.in_channels = in_channels
        self.out_channels = out_channels or in_channels
        self.branches = nn.ModuleList(
            nn.Linear(in_channels, self.out_channels) for _ in range(num_branches))

    def forward(self, tokens: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Disentangle mixed features.

        Args:
            tokens (Tensor): (B, N, C) encoder tokens of the mixed images.

        Returns:
            tuple[Tensor]: n tensors (B, N, out_channels), h_1 … h_n.
        """
        return tuple(branch(tokens) for branch in self.branches)
