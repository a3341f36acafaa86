"""BEiT's block-wise masking."""
from typing import Dict, Optional, Tuple

import numpy as np
import torch
from mmpretrain.datasets.transforms import BEiTMaskGenerator

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .base_masker import BaseMasker


@register_part('masker')
class BlockwiseMasker(BaseMasker):
    """Rectangular blocks of patches (BEiT), via mmpretrain's ``BEiTMaskGenerator``.

    Every sample masks exactly ``L − int(L · (1 − mask_ratio))`` patches
    (the generator stops at that count); uniform noise orders the patches
    within the masked and within the visible group.

    Args:
        mask_ratio (float): Fraction of patches masked, in (0, 1). Defaults to 0.4.
        min_num_patches (int): Smallest block, in patches. Defaults to 4.
        max_num_patches (int, optional): Largest block. Defaults to no limit.
        min_aspect (float): Smallest block aspect ratio. Defaults to 0.3.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'BEiT (Bao et al. 2022) Algorithm 1 (blockwise masking)'

    def __init__(self,
                 mask_ratio: float = 0.4,
                 min_num_patches: int = 4,
                 max_num_patches: Optional[int] = None,
                 min_aspect: float = 0.3) -> None:
        super().__init__(mask_ratio)
        require(isinstance(min_num_patches, int) and min_num_patches >= 1,
                'masker.min_num_patches', min_num_patches, 'an int >= 1')
        require(0 < min_aspect <= 1, 'masker.min_aspect', min_aspect, 'a float in (0, 1]')
        self.min_num_patches = min_num_patches
        self.max_num_patches = max_num_patches
        self.min_aspect = min_aspect
        self._generators: Dict[Tuple[int, int], BEiTMaskGenerator] = {}

    def _generator(self, grid: Tuple[int, int]) -> BEiTMaskGenerator:
        if grid not in self._generators:
            num_masked = grid[0] * grid[1] - self.num_visible(grid[0] * grid[1])
            require(self.min_num_patches <= num_masked, 'masker.min_num_patches',
                    self.min_num_patches, f'at most the {num_masked} masked patches of a '
                    f'{grid[0]}x{grid[1]} grid')
            require(min(grid) >= 2, 'masker', 'BlockwiseMasker',
                    f'a patch grid of at least 2x2, got {grid}')
            self._generators[grid] = BEiTMaskGenerator(
                input_size=grid,
                num_masking_patches=num_masked,
                min_num_patches=self.min_num_patches,
                max_num_patches=self.max_num_patches,
                min_aspect=self.min_aspect)
        return self._generators[grid]

    def scores(self, batch_size: int, grid: Tuple[int, int], device: torch.device) -> torch.Tensor:
        """(B, L): block patches score in [2, 3), the others in [0, 1)."""
        generator = self._generator(grid)
        blocks = np.stack([generator(dict())['mask'] for _ in range(batch_size)])
        blocks = torch.from_numpy(blocks.reshape(batch_size, -1)).to(device, torch.float32)
        return 2 * blocks + torch.rand(blocks.shape, device=device)
