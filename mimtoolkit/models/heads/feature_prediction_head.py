"""A linear predictor of per-patch target features (MaskFeat's HOG)."""
from typing import Dict

import torch
import torch.nn as nn

from mimtoolkit.registry import register_part
from .base_head import LossHead


@register_part('head')
class FeaturePredictionHead(LossHead):
    """Predicts a target feature for every patch token; loss on the masked ones.

    Args:
        in_channels (int): Encoder width C.
        out_channels (int): Target feature size D per patch.
        loss (dict): A regression loss (``loss_compares``). Defaults to L2
            ``PixelReconstructionLoss`` (MaskFeat's L2 on the masked patches).
        loss_name (str): Key of the loss in the returned dict. Defaults to ``'loss_feat'``.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
        init_cfg (dict, optional): Initialisation. Defaults to trunc-normal 0.02.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MaskFeat (Wei et al. 2022) §3, linear HOG predictor'

    #: The call this head makes to its loss (``LOSS_CALLS``).
    loss_compares = 'regression'

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 loss: dict = dict(type='PixelReconstructionLoss', criterion='L2'),
                 loss_name: str = 'loss_feat',
                 loss_weight: float = 1.0,
                 init_cfg: dict = dict(type='TruncNormal', layer='Linear', std=0.02, bias=0)
                 ) -> None:
        super().__init__(loss, loss_name, loss_weight, init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.predictor = nn.Linear(in_channels, out_channels)

    def loss(self, tokens: torch.Tensor, target: torch.Tensor,
             mask: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Weighted loss between predicted and target features on masked patches, in fp32.

        Args:
            tokens (Tensor): (B, L, C) encoder patch tokens (all positions).
            target (Tensor): (B, L, D) target features.
            mask (Tensor): (B, L), 1 = masked.

        Returns:
            dict[str, Tensor]: ``{loss_name: scalar}``.
        """
        pred = self.predictor(tokens)
        return self.named(self.loss_module(pred, target, mask))
