"""A linear classifier of each masked patch's visual token (BEiT)."""
from typing import Dict

import torch
import torch.nn as nn

from mimtoolkit.registry import register_part
from .base_head import LossHead


@register_part('head')
class TokenClassificationHead(LossHead):
    """Predicts the tokenizer's id of every masked patch; a classification loss on them.

    Args:
        in_channels (int): Encoder width C.
        num_tokens (int): Vocabulary size V of the tokenizer.
        loss (dict): A classification loss (``loss_compares``). Defaults to
            ``TokenCrossEntropyLoss`` (BEiT's cross-entropy, mean over the
            masked patches).
        loss_name (str): Key of the loss. Defaults to ``'loss_token'``.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
        init_cfg (dict, optional): Defaults to trunc-normal 0.02.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'BEiT (Bao et al. 2022) §2.3'

    #: The call this head makes to its loss (``LOSS_CALLS``).
    loss_compares = 'classification'

    def __init__(self, in_channels: int, num_tokens: int,
                 loss: dict = dict(type='TokenCrossEntropyLoss'),
                 loss_name: str = 'loss_token', loss_weight: float = 1.0,
                 init_cfg: dict = dict(type='TruncNormal', layer='Linear', std=0.02, bias=0)
                 ) -> None:
        super().__init__(loss, loss_name, loss_weight, init_cfg)
        self.in_channels = in_channels
        self.num_tokens = num_tokens
        self.classifier = nn.Linear(in_channels, num_tokens)

    def loss(self, tokens: torch.Tensor, target: torch.Tensor,
             mask: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Weighted classification loss over the masked patches, in fp32.

        Args:
            tokens (Tensor): (B, L, C) encoder patch tokens (all positions).
            target (Tensor): (B, L) token ids.
            mask (Tensor): (B, L), 1 = masked.

        Returns:
            dict[str, Tensor]: ``{loss_name: scalar}``.
        """
        masked = mask.bool()
        logits = self.classifier(tokens[masked])  # (M, V)
        return self.named(self.loss_module(logits, target[masked]))
