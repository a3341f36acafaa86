"""MixedAE's homologous contrastive loss (Eq. 7) on the encoder's patch features."""
from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mimtoolkit.registry import register_part
from mimtoolkit.structures import StudentView
from mimtoolkit.utils import require

POSITIVES = ('separate', 'mean')


@register_part('head')
class HomologousContrastiveHead(BaseModule):
    """Patches from the same source image attract, the other patches of the sample repel.

    Patch features → linear projector → ℓ2-normalised → cosine similarities / τ.
    For a query patch i of a mixed sample, its *homologous* patches (same
    source slot, i excluded) are positives, the *heterologous* ones of the same
    sample negatives:

    - ``'separate'`` (supervised-contrastive): ``−1/|P| Σ_p log(e^{s_ip} / Σ_{a≠i} e^{s_ia})``.
    - ``'mean'`` (one mean positive, Tab. 3c): with ``s̄_i`` the mean of the
      positive similarities, ``−log(e^{s̄_i} / (e^{s̄_i} + Σ_n e^{s_in}))``.

    Averaged over all patches of all samples, in fp32, times ``loss_weight`` (λ).
    As an auxiliary head (``aux_heads``) it needs the source slots of a patch
    mixer's samples (MixedAE's ``StudentView``).

    Args:
        in_channels (int): Encoder width C.
        proj_dims (int): Projector output. Defaults to 128.
        temperature (float): τ. Defaults to 0.25.
        positives (str): ``'separate'`` or ``'mean'``. Defaults to ``'separate'``.
        loss_weight (float): λ. Defaults to 0.1.
        loss_name (str): Defaults to ``'loss_homo'``.
        init_cfg (dict, optional): Projector init. Defaults to Xavier-uniform.
    """

    def __init__(self,
                 in_channels: int,
                 proj_dims: int = 128,
                 temperature: float = 0.25,
                 positives: str = 'separate',
                 loss_weight: float = 0.1,
                 loss_name: str = 'loss_homo',
                 init_cfg: dict = dict(type='Xavier', layer='Linear', distribution='uniform')
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        require(temperature > 0, 'model.contrastive_head.temperature', temperature, 'a float > 0')
        require(positives in POSITIVES, 'model.contrastive_head.positives', positives,
                f'one of {POSITIVES}')
        self.in_channels = in_channels
        self.projector = nn.Linear(in_channels, proj_dims)
        self.temperature = temperature
        self.positives = positives
        self.loss_weight = loss_weight
        self.loss_name = loss_name

    #: Which tokens of a pretrainer it reads, and the ``StudentView`` fields it needs.
    positions = 'visible'
    aux_needs = ('slots', )
    full_image_teacher = False

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
        z = F.normalize(self.projector(patch_tokens).float(), dim=-1)
        logits = z @ z.transpose(1, 2) / self.temperature  # (B', L, L)
        eye = torch.eye(logits.shape[-1], dtype=torch.bool, device=logits.device)
        same = slots.unsqueeze(2) == slots.unsqueeze(1)
        positive, negative = same & ~eye, ~same
        if self.positives == 'separate':
            log_prob = logits - logits.masked_fill(eye, float('-inf')).logsumexp(-1, keepdim=True)
            per_patch = -(log_prob * positive).sum(-1) / positive.sum(-1).clamp(min=1)
        else:
            mean_pos = (logits * positive).sum(-1) / positive.sum(-1).clamp(min=1)
            neg = logits.masked_fill(~negative, float('-inf'))
            denom = torch.logaddexp(mean_pos, neg.logsumexp(-1))
            per_patch = denom - mean_pos
        return {self.loss_name: self.loss_weight * per_patch.mean()}
