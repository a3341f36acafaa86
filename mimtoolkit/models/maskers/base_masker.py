"""What every masker shares: an exact masked count per sample."""
from typing import Optional, Tuple

import torch
import torch.nn as nn

from mimtoolkit.structures import MaskInfo
from mimtoolkit.utils import rank_share, require


class BaseMasker(nn.Module):
    """Chooses the patches to mask; subclasses score patches, this keeps the count exact.

    Args:
        mask_ratio (float): Fraction of patches masked, in (0, 1).
    """

    #: Whether ``forward`` reads a teacher's (B, L) ``saliency`` (focused masking): a need the
    #: pretrainer checks at build time (every masker takes the argument).
    needs_saliency = False

    def __init__(self, mask_ratio: float) -> None:
        super().__init__()
        require(
            isinstance(mask_ratio, (int, float)) and 0 < mask_ratio < 1, 'masker.mask_ratio',
            mask_ratio, 'a float in (0, 1)')
        self.mask_ratio = float(mask_ratio)

    def num_visible(self, num_patches: int) -> int:
        """Visible patches per sample: ``int(L · (1 − mask_ratio))`` as in MAE."""
        n = int(num_patches * (1 - self.mask_ratio))
        require(n >= 1, 'masker.mask_ratio', self.mask_ratio,
                f'a ratio that leaves at least one of the {num_patches} patches visible')
        return n

    def scores(self, batch_size: int, grid: Tuple[int, int], device: torch.device) -> torch.Tensor:
        """(B, L) scores; the lowest ``num_visible`` of each row stay visible."""
        raise NotImplementedError

    def forward(self, batch_size: int, grid: Tuple[int, int], device: torch.device,
                saliency: Optional[torch.Tensor] = None) -> MaskInfo:
        """Mask a batch.

        Args:
            batch_size (int): B.
            grid (tuple[int, int]): The patch grid (h, w); L = h·w.
            device (torch.device): Where the mask lives.
            saliency (Tensor, optional): (B, L) a teacher's saliency, read by
                maskers that declare ``needs_saliency``; unused here.

        Returns:
            MaskInfo: The same number of masked patches in every sample. In a
            multi-process run the scores are drawn for the global batch and
            each rank keeps its rows (``rank_share``), so the masks do not
            depend on the number of processes.
        """
        num_visible = self.num_visible(grid[0] * grid[1])
        scores = rank_share(lambda n: self.scores(n, grid, device), batch_size)
        ids_shuffle = torch.argsort(scores, dim=1)
        return MaskInfo.from_shuffle(ids_shuffle, num_visible)
