"""MixedAE's homologous contrastive objective (Eq. 7) on the encoder's patch features."""
from typing import Dict

import torch
import torch.nn as nn

from mimtoolkit.registry import register_part
from mimtoolkit.structures import StudentView
from .base_head import BaseAuxHead


@register_part('head')
class HomologousContrastiveHead(BaseAuxHead):
    """Patches from the same source image attract, the other patches of the sample repel.

    Patch features → linear projector → a contrastive loss whose labels are
    the patches' source slots: for a query patch of a mixed sample, its
    *homologous* patches (same source image) are the positives, the
    *heterologous* ones of the same sample the negatives. The default loss is
    MixedAE's Eq. 7 (``SupervisedContrastiveLoss``, τ = 0.25, positives taken
    separately), times ``loss_weight`` (λ). As an auxiliary head
    (``aux_heads``) it needs the source slots of a patch mixer's samples
    (MixedAE's ``StudentView``).

    Args:
        in_channels (int): Encoder width C.
        proj_dims (int): Projector output. Defaults to 128.
        loss (dict): A contrastive loss (``loss_compares``). Defaults to
            ``SupervisedContrastiveLoss(temperature=0.25, positives='separate')``.
        loss_weight (float): λ. Defaults to 0.1.
        loss_name (str): Defaults to ``'loss_homo'``.
        init_cfg (dict, optional): Projector init. Defaults to Xavier-uniform.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MixedAE (Chen et al. 2023) §3.3, Eq. 7'

    #: The call this head makes to its loss (``LOSS_CALLS``).
    loss_compares = 'contrastive'

    def __init__(self,
                 in_channels: int,
                 proj_dims: int = 128,
                 loss: dict = dict(type='SupervisedContrastiveLoss', temperature=0.25,
                                   positives='separate'),
                 loss_weight: float = 0.1,
                 loss_name: str = 'loss_homo',
                 init_cfg: dict = dict(type='Xavier', layer='Linear', distribution='uniform')
                 ) -> None:
        super().__init__(loss, loss_name, loss_weight, init_cfg)
        self.in_channels = in_channels
        self.projector = nn.Linear(in_channels, proj_dims)

    #: The ``StudentView`` fields it needs: a patch mixer's source slots.
    aux_needs = ('slots', )

    def aux_loss(self, view: StudentView, features=None) -> Dict[str, torch.Tensor]:
        """The loss on a pretrainer's view (its tokens and source slots)."""
        return self.loss(view.tokens, view.slots)

    def loss(self, patch_tokens: torch.Tensor, slots: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The homologous contrastive loss.

        Args:
            patch_tokens (Tensor): (B', L, C) encoder features of the mixed samples.
            slots (Tensor): (B', L) long source slot of every patch.

        Returns:
            dict[str, Tensor]: ``{loss_name: λ · loss}``.
        """
        return self.named(self.loss_module(self.projector(patch_tokens), slots))
