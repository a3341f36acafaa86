"""Cross-entropy of each masked token's class (BEiT's visual tokens)."""
import torch
from mmpretrain.models.losses import CrossEntropyLoss

from mimtoolkit.registry import register_part
from .fp32_loss import in_float32


@register_part('loss')
class TokenCrossEntropyLoss(CrossEntropyLoss):
    """Softmax cross-entropy of each token's class id, averaged over the tokens.

    mmpretrain's ``CrossEntropyLoss`` (softmax, mean reduction, no class
    weights), called with the head's logits of the masked tokens (M, V) and
    their target ids (M,) (BEiT, Bao et al. 2022, Eq. 1).
    """

    #: Where it comes from: the paper and section it implements.
    source = 'BEiT (Bao et al. 2022) Eq. 1'

    compares = 'classification'
    choices = {}

    def __init__(self) -> None:
        super().__init__(use_sigmoid=False, use_soft=False, reduction='mean', loss_weight=1.0)

    @in_float32
    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Mean cross-entropy of (M, V) logits against (M,) class ids; a scalar, fp32."""
        return super().forward(logits, target)
