"""mmpretrain's pixel reconstruction loss, in our ``loss`` kind."""
from typing import Optional

import torch
from mmpretrain.models.losses import PixelReconstructionLoss as MMPretrainPixelLoss

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .fp32_loss import in_float32

CRITERIA = ('L1', 'L2')


@register_part('loss')
class PixelReconstructionLoss(MMPretrainPixelLoss):
    """L1 or L2 between predicted and target patches, averaged over the masked ones.

    mmpretrain's ``PixelReconstructionLoss`` (MAE's loss), unchanged, with its
    arguments checked at build time. Reduction: the squared (L2) or absolute
    (L1) error is averaged over the D values of each patch, then over the
    patches where mask = 1 (all patches without a mask), then divided by
    ``channel``.

    Args:
        criterion (str): One of :data:`CRITERIA`. Defaults to ``'L2'``.
        channel (int, optional): A further divisor. Defaults to None (1).
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MAE (He et al. 2022) §3'

    compares = 'regression'
    #: Values a config may give each enumerated argument.
    choices = dict(criterion=CRITERIA)

    def __init__(self, criterion: str = 'L2', channel: Optional[int] = None) -> None:
        require(criterion in CRITERIA, 'loss.criterion', criterion, f'one of {CRITERIA}')
        require(channel is None or (isinstance(channel, int) and channel > 0), 'loss.channel',
                channel, 'None or an int > 0')
        super().__init__(criterion=criterion, channel=channel)
        self.criterion = criterion

    @in_float32
    def forward(self, pred: torch.Tensor, target: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """mmpretrain's loss of (B, L, D) patches, masked by (B, L); a scalar, fp32."""
        return super().forward(pred, target, mask)
