"""Regression of target features (distillation, mimicking, feature prediction)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .fp32_loss import in_float32

CRITERIA = ('l2', 'smooth_l1', 'cosine')
TARGET_NORMS = (None, 'layer_norm')


@register_part('loss')
class FeatureRegressionLoss(nn.Module):
    """A per-token error between predicted and target features, averaged over tokens.

    In fp32. Per token (the last axis holds its D features):

    - ``'l2'``: mean over D of (pred − target)² (i-MAE Eq. 5, MR-MAE Eq. 2);
    - ``'smooth_l1'``: mean over D of the Huber error with threshold ``beta``;
    - ``'cosine'``: 1 − cos(pred, target) (as EVA and MILAN regress CLIP).

    The per-token errors are averaged over the tokens where mask = 1 (over
    all tokens without a mask). ``target_norm='layer_norm'`` first normalises
    each target token over its D features, with no affine parameters (torch's
    eps 1e-5), as feature-distillation MIM methods (MaskDistill, MILAN) do.

    Args:
        criterion (str): One of :data:`CRITERIA`. Defaults to ``'l2'``.
        target_norm (str, optional): One of :data:`TARGET_NORMS`. Defaults to None.
        beta (float): The smooth-L1 threshold (> 0). Defaults to 1.0.
    """

    #: Where it comes from: the paper and section it implements.
    source = ('l2: i-MAE Eq. 5, MR-MAE Eq. 2; smooth_l1, cosine and layer_norm targets: '
              'feature-distillation MIM (EVA, MILAN, MaskDistill)')

    compares = 'regression'
    #: Values a config may give each enumerated argument.
    choices = dict(criterion=CRITERIA, target_norm=TARGET_NORMS)

    def __init__(self, criterion: str = 'l2', target_norm: Optional[str] = None,
                 beta: float = 1.0) -> None:
        super().__init__()
        require(criterion in CRITERIA, 'loss.criterion', criterion, f'one of {CRITERIA}')
        require(target_norm in TARGET_NORMS, 'loss.target_norm', target_norm,
                f'one of {TARGET_NORMS}')
        require(isinstance(beta, (int, float)) and beta > 0, 'loss.beta', beta, 'a float > 0')
        self.criterion = criterion
        self.target_norm = target_norm
        self.beta = float(beta)

    def token_errors(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """(...,) error of every token (fp32 inputs: :meth:`forward` casts them).

        Args:
            pred (Tensor): (..., D) predicted features.
            target (Tensor): (..., D) target features (no gradient needed).
        """
        if self.target_norm == 'layer_norm':
            target = F.layer_norm(target, target.shape[-1:])
        if self.criterion == 'cosine':
            return 1 - F.cosine_similarity(pred, target, dim=-1)
        if self.criterion == 'smooth_l1':
            return F.smooth_l1_loss(pred, target, reduction='none', beta=self.beta).mean(-1)
        return (pred - target).square().mean(-1)

    @in_float32
    def forward(self, pred: torch.Tensor, target: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """The loss.

        Args:
            pred (Tensor): (B, N, D) predicted features.
            target (Tensor): (B, N, D) target features.
            mask (Tensor, optional): (B, N), 1 = a token the loss counts.

        Returns:
            Tensor: Scalar, fp32.
        """
        errors = self.token_errors(pred, target)
        if mask is None:
            return errors.mean()
        mask = mask.to(errors.dtype)
        return (errors * mask).sum() / mask.sum()
