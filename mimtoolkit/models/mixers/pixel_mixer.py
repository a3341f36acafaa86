"""i-MAE's pixel mixup of two images with a subordinate and a dominant role."""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.dist import get_dist_info

from mimtoolkit.registry import register_part
from mimtoolkit.structures import PixelMixInfo
from mimtoolkit.utils import global_rows, require

PARTNER_MODES = ('permutation', 'halves')


@register_part('mixer')
class PixelMixer(nn.Module):
    """``I_m = α·I_1 + (1 − α)·I_2`` with fixed roles (i-MAE, Zhang & Shen).

    α is drawn once per step from Beta(``beta``, ``beta``) on the CPU's global
    generator (reproducible under a seed), or fixed by ``alpha``. As in the
    paper's pseudocode (``x1, x2 = (x1, x2) if α < 0.5 else (x2, x1)``), the
    image of weight ``min(α, 1 − α)`` is the *subordinate* one and the other
    the *dominant* one, so each branch of the pretrainer always gets the same
    role.

    Partners:

    - ``'permutation'``: ``I_1`` is every image of the batch, ``I_2`` its
      partner under a random cyclic permutation of the *global* batch (a
      derangement: no image is mixed with itself; in a multi-process run each
      rank receives just its images' partners from the ranks that hold them,
      so partners come from every rank as in one process with the global
      batch). B inputs give B mixed images.
    - ``'halves'``: the batch is ``[I_1 ... , I_2 ...]`` as laid out by
      :class:`~mimtoolkit.datasets.SemanticPairBatchSampler`; image i is mixed
      with image i + B/2 (the same pairs however the global batch is split
      over ranks). B inputs give B/2 mixed images.

    Args:
        beta (float): Parameter b of Beta(b, b). Defaults to 1.0 (uniform α).
        alpha (float, optional): A fixed α in (0, 1) instead of drawing it.
        partner (str): ``'permutation'`` or ``'halves'``. Defaults to
            ``'permutation'``.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'i-MAE (Zhang & Shen) §3.1: alpha ~ Beta, semantics-enhanced partners'
    #: Values a config may give each enumerated argument (what the checks allow).
    choices = dict(partner=PARTNER_MODES)

    def __init__(self, beta: float = 1.0, alpha: Optional[float] = None,
                 partner: str = 'permutation') -> None:
        super().__init__()
        require(isinstance(beta, (int, float)) and beta > 0, 'model.mixer.beta', beta,
                'a float > 0 (Beta(b, b) parameter)')
        require(alpha is None or (isinstance(alpha, (int, float)) and 0 < alpha < 1),
                'model.mixer.alpha', alpha, 'None (draw from Beta) or a float in (0, 1)')
        require(partner in PARTNER_MODES, 'model.mixer.partner', partner,
                f'one of {PARTNER_MODES}')
        self.beta = float(beta)
        self.alpha = alpha
        self.partner = partner

    def draw_alpha(self) -> torch.Tensor:
        """0-d float tensor: the fixed α, or a draw from Beta(b, b)."""
        if self.alpha is not None:
            return torch.tensor(float(self.alpha))
        concentration = torch.tensor(self.beta)
        return torch.distributions.Beta(concentration, concentration).sample()

    def pair(self, inputs: torch.Tensor):
        """The two images of each mixed sample and where they sit in the batch.

        Args:
            inputs (Tensor): (B, C, H, W) this process's images.

        Returns:
            tuple: (B', C, H, W) the I_1 and (B', C, H, W) the I_2 of each mixed sample,
            and (B', 2) long batch indices of (I_1, I_2) (for ``'permutation'`` in a
            multi-process run: global-batch positions, rank r's image j at j·w + r; the
            partners are fetched from their ranks, :func:`global_rows`).
        """
        batch_size, device = inputs.shape[0], inputs.device
        if self.partner == 'halves':
            require(batch_size % 2 == 0, 'train_dataloader.batch_size (images per step)',
                    batch_size, "an even count for model.mixer.partner='halves' "
                    '(first half I_1, second half I_2)')
            half = batch_size // 2
            first = torch.arange(half)
            pairs = torch.stack([first, first + half], dim=1).to(device)
            return inputs[:half], inputs[half:], pairs
        require(batch_size >= 2, 'train_dataloader.batch_size', batch_size,
                "at least 2 images for model.mixer.partner='permutation'")
        rank, world = get_dist_info()
        order = torch.randperm(batch_size * world)  # a random cycle through the global batch
        partner = torch.empty_like(order)
        partner[order] = order.roll(-1)
        rows = torch.arange(batch_size) * world + rank
        pairs = torch.stack([rows, partner[rows]], dim=1).to(device)
        return inputs, global_rows(inputs, partner), pairs

    def forward(self, inputs: torch.Tensor, alpha: Optional[float] = None) -> PixelMixInfo:
        """Mix a batch.

        Args:
            inputs (Tensor): (B, C, H, W) normalised images.
            alpha (float, optional): Use this α for this call (e.g. a sweep in
                a figure) instead of the configured one.

        Returns:
            PixelMixInfo: B mixed images (``'permutation'``) or B/2 (``'halves'``).
        """
        alpha = self.draw_alpha() if alpha is None else torch.tensor(float(alpha))
        first, second, pairs = self.pair(inputs)
        swap = bool(alpha >= 0.5)
        sources = pairs.flip(1) if swap else pairs
        weight = 1 - alpha if swap else alpha
        subordinate, dominant = (second, first) if swap else (first, second)
        w = weight.to(inputs.dtype)
        mixed = w * subordinate + (1 - w) * dominant
        return PixelMixInfo(mixed=mixed, subordinate=subordinate, dominant=dominant,
                            alpha=alpha, weight=weight, sources=sources)
