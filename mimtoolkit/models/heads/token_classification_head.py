"""A linear classifier of each masked patch's visual token (BEiT)."""
from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mimtoolkit.registry import register_part


@register_part('head')
class TokenClassificationHead(BaseModule):
    """Predicts the tokenizer's id of every masked patch; cross-entropy on masked patches.

    Args:
        in_channels (int): Encoder width C.
        num_tokens (int): Vocabulary size V of the tokenizer.
        loss_name (str): Key of the loss. Defaults to ``'loss_token'``.
        init_cfg (dict, optional): Defaults to trunc-normal 0.02.
    """

    def __init__(self, in_channels: int, num_tokens: int, loss_name: str = 'loss_token',
                 init_cfg: dict = dict(type='TruncNormal', layer='Linear', std=0.02, bias=0)
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.num_tokens = num_tokens
        self.classifier = nn.Linear(in_channels, num_tokens)
        self.loss_name = loss_name

    def loss(self, tokens: torch.Tensor, target: torch.Tensor,
             mask: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Mean cross-entropy over the masked patches, in fp32.

        Args:
            tokens (Tensor): (B, L, C) encoder patch tokens (all positions).
            target (Tensor): (B, L) token ids.
            mask (Tensor): (B, L), 1 = masked.

        Returns:
            dict[str, Tensor]: ``{loss_name: scalar}``.
        """
        masked = mask.bool()
        logits = self.classifier(tokens[masked])
        return {self.loss_name: F.cross_entropy(logits.float(), target[masked])}
