"""A linear predictor of per-patch target features (MaskFeat's HOG)."""
from typing import Dict

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mimtoolkit.registry import MODELS, register_part


@register_part('head')
class FeaturePredictionHead(BaseModule):
    """Predicts a target feature for every patch token; loss on the masked ones.

    Args:
        in_channels (int): Encoder width C.
        out_channels (int): Target feature size D per patch.
        loss (dict): Loss config. Defaults to L2 ``PixelReconstructionLoss``.
        loss_name (str): Key of the loss in the returned dict. Defaults to ``'loss_feat'``.
        init_cfg (dict, optional): Initialisation. Defaults to trunc-normal 0.02.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 loss: dict = dict(type='PixelReconstructionLoss', criterion='L2'),
                 loss_name: str = 'loss_feat',
                 init_cfg: dict = dict(type='TruncNormal', layer='Linear', std=0.02, bias=0)
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.predictor = nn.Linear(in_channels, out_channels)
        self.loss_module = MODELS.build(loss)
        self.loss_name = loss_name

    def loss(self, tokens: torch.Tensor, target: torch.Tensor,
             mask: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Loss between predicted and target features on masked patches, in fp32.

        Args:
            tokens (Tensor): (B, L, C) encoder patch tokens (all positions).
            target (Tensor): (B, L, D) target features.
            mask (Tensor): (B, L), 1 = masked.

        Returns:
            dict[str, Tensor]: ``{loss_name: scalar}``.
        """
        pred = self.predictor(tokens)
        return {self.loss_name: self.loss_module(pred.float(), target.float(), mask)}
