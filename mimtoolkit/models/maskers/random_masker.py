"""MAE's random masking."""
from typing import Tuple

import torch

from mimtoolkit.registry import register_part
from .base_masker import BaseMasker


@register_part('masker')
class RandomMasker(BaseMasker):
    """Uniformly random patches, by argsort of uniform noise (MAE).

    Draws ``torch.rand(B, L)`` exactly as mmpretrain's ``MAEViT`` does, so under
    the same seed both mask the same patches.

    Args:
        mask_ratio (float): Fraction of patches masked, in (0, 1). Defaults to 0.75.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MAE (He et al. 2022) §3, random masking'

    def __init__(self, mask_ratio: float = 0.75) -> None:
        super().__init__(mask_ratio)

    def scores(self, batch_size: int, grid: Tuple[int, int], device: torch.device) -> torch.Tensor:
        """(B, L) uniform noise."""
        return torch.rand(batch_size, grid[0] * grid[1], device=device)
