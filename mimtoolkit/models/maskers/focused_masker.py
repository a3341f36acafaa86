"""MR-MAE's focused mimicking: keep a teacher's most salient patches visible."""
from typing import Optional, Tuple

import torch

from mimtoolkit.registry import register_part
from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import rank_share, require
from .base_masker import BaseMasker

MODES = ('topk', 'sample')


@register_part('masker')
class FocusedMasker(BaseMasker):
    """Visible = the teacher's most salient patches, then random ones; the count is fixed.

    Of the ``num_visible`` visible patches of each sample,
    ``round(focus_ratio · num_visible)`` are chosen by the teacher's [CLS]
    attention (its saliency) — the top ones (``mode='topk'``, deterministic)
    or drawn without replacement with probability proportional to saliency
    (``mode='sample'``, as the top-k of log-saliency plus Gumbel noise) — and
    the rest uniformly at random from the others. The noise is drawn for the
    global batch and each rank keeps its rows (``rank_share``).

    Args:
        mask_ratio (float): Fraction of patches masked, in (0, 1). Defaults
            to 0.75 (MR-MAE keeps 25% visible).
        focus_ratio (float): Share of the visible patches chosen by saliency,
            in [0, 1]. Defaults to 0.5.
        mode (str): ``'topk'`` or ``'sample'``. Defaults to ``'topk'``.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MR-MAE (Gao et al. 2023) §3.3, focused mimicking'
    #: Values a config may give each enumerated argument (what the checks allow).
    choices = dict(mode=MODES)

    needs_saliency = True

    def __init__(self, mask_ratio: float = 0.75, focus_ratio: float = 0.5,
                 mode: str = 'topk') -> None:
        super().__init__(mask_ratio)
        require(isinstance(focus_ratio, (int, float)) and 0 <= focus_ratio <= 1,
                'masker.focus_ratio', focus_ratio, 'a float in [0, 1]')
        require(mode in MODES, 'masker.mode', mode, f'one of {MODES}')
        self.focus_ratio = float(focus_ratio)
        self.mode = mode

    def num_focused(self, num_patches: int) -> int:
        """Visible patches chosen by saliency per sample."""
        return round(self.focus_ratio * self.num_visible(num_patches))

    def forward(self, batch_size: int, grid: Tuple[int, int], device: torch.device,
                saliency: Optional[torch.Tensor] = None) -> MaskInfo:
        """Mask a batch around its salient patches.

        Args:
            batch_size (int): B.
            grid (tuple[int, int]): The patch grid (h, w); L = h·w.
            device (torch.device): Where the mask lives.
            saliency (Tensor): (B, L) non-negative teacher saliency.

        Returns:
            MaskInfo: The focused patches first in ``ids_keep``, then the random ones.
        """
        num_patches = grid[0] * grid[1]
        require(saliency is not None and tuple(saliency.shape) == (batch_size, num_patches),
                'saliency', None if saliency is None else tuple(saliency.shape),
                f'a ({batch_size}, {num_patches}) teacher [CLS] attention (FocusedMasker needs '
                'a pretrainer with a teacher, e.g. MAE with a MimicHead in aux_heads)')
        k = self.num_focused(num_patches)
        noise = rank_share(lambda n: torch.rand(n, 2, num_patches, device=device), batch_size)
        if self.mode == 'topk':
            focused = saliency.topk(k, dim=1).indices
        else:  # Gumbel top-k: sampling without replacement, probability ∝ saliency
            gumbel = -torch.log(-torch.log(noise[:, 1].clamp_min(1e-20)))
            keys = (saliency.float().clamp_min(0) + 1e-12).log() + gumbel.to(saliency.device)
            focused = keys.topk(k, dim=1).indices
        scores = noise[:, 0].contiguous()
        # focused patches sort first (scores -k..-1 < any uniform score), in their order
        rank = torch.arange(k, device=device, dtype=scores.dtype).expand(batch_size, -1)
        scores.scatter_(1, focused.to(device), rank - k)
        return MaskInfo.from_shuffle(torch.argsort(scores, dim=1), self.num_visible(num_patches))
