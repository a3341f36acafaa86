"""The supervised-contrastive loss over the tokens of each sample (MixedAE Eq. 7)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .fp32_loss import in_float32

POSITIVES = ('separate', 'mean')


@register_part('loss')
class SupervisedContrastiveLoss(nn.Module):
    """Tokens of a sample with the same label attract, the sample's other tokens repel.

    The features are ℓ2-normalised and compared by cosine similarity / τ,
    within each sample (in fp32). For a query token i, the tokens with its
    label (i excluded) are its positives P, the tokens with other labels
    its negatives:

    - ``'separate'`` (supervised-contrastive, MixedAE Eq. 7):
      ``−1/|P| Σ_p log(e^{s_ip} / Σ_{a≠i} e^{s_ia})``;
    - ``'mean'`` (one mean positive, MixedAE Tab. 3c): with ``s̄_i`` the mean
      of the positive similarities, ``−log(e^{s̄_i} / (e^{s̄_i} + Σ_n e^{s_in}))``.

    Reduction: the mean over all tokens of all samples.

    Args:
        temperature (float): τ > 0. Defaults to 0.25 (MixedAE §4.1).
        positives (str): One of :data:`POSITIVES`. Defaults to ``'separate'``.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MixedAE (Chen et al. 2023) Eq. 7; one mean positive: Tab. 3c'

    compares = 'contrastive'
    #: Values a config may give each enumerated argument.
    choices = dict(positives=POSITIVES)

    def __init__(self, temperature: float = 0.25, positives: str = 'separate') -> None:
        super().__init__()
        require(isinstance(temperature, (int, float)) and temperature > 0, 'loss.temperature',
                temperature, 'a float > 0')
        require(positives in POSITIVES, 'loss.positives', positives, f'one of {POSITIVES}')
        self.temperature = float(temperature)
        self.positives = positives

    @in_float32
    def forward(self, features: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """The loss.

        Args:
            features (Tensor): (B, L, D) token features (projected, not normalised).
            labels (Tensor): (B, L) long label of every token (MixedAE: its source slot).

        Returns:
            Tensor: Scalar, fp32.
        """
        z = F.normalize(features, dim=-1)
        logits = z @ z.transpose(1, 2) / self.temperature  # (B, L, L)
        eye = torch.eye(logits.shape[-1], dtype=torch.bool, device=logits.device)
        same = labels.unsqueeze(2) == labels.unsqueeze(1)
        positive, negative = same & ~eye, ~same
        if self.positives == 'separate':
            log_prob = logits - logits.masked_fill(eye, float('-inf')).logsumexp(-1, keepdim=True)
            per_token = -(log_prob * positive).sum(-1) / positive.sum(-1).clamp(min=1)
        else:
            mean_pos = (logits * positive).sum(-1) / positive.sum(-1).clamp(min=1)
            neg = logits.masked_fill(~negative, float('-inf'))
            per_token = torch.logaddexp(mean_pos, neg.logsumexp(-1)) - mean_pos
        return per_token.mean()
