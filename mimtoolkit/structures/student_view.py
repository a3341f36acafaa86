"""The hand-off from a pretrainer to its auxiliary heads (DESIGN.md §1b)."""
from dataclasses import dataclass
from typing import Optional, Tuple

import torch

from .mask_info import MaskInfo


@dataclass
class StudentView:
    """Student features at known patches of known clean images.

    Every pretrainer describes its features this way, so an auxiliary head
    (mimic, distillation, homologous contrast) reads any pretrainer: a
    teacher's features of ``images`` are gathered at ``positions``.

    Attributes:
        tokens (Tensor): (B', N, C) student features.
        images (Tensor): (B, C, H, W) the clean images the tokens stand for.
        grid (tuple[int, int]): The student's patch grid (h, w); L = h·w.
        positions (Tensor): (B', N) long: token (b', n) stands for patch
            ``positions % L`` of image ``positions // L``.
        mask_info (MaskInfo, optional): Set when row b' of ``tokens`` are
            the visible patches of image b' in ``ids_keep`` order (B' = B), so
            a teacher may encode the visible patches under the same mask.
        slots (Tensor, optional): (B', N) long source slot of every token
            within its (patch-mixed) sample.
    """

    tokens: torch.Tensor
    images: torch.Tensor
    grid: Tuple[int, int]
    positions: torch.Tensor
    mask_info: Optional[MaskInfo] = None
    slots: Optional[torch.Tensor] = None

    @classmethod
    def at_patches(cls, tokens: torch.Tensor, images: torch.Tensor, grid: Tuple[int, int],
                   patch_ids: torch.Tensor, mask_info: Optional[MaskInfo] = None
                   ) -> 'StudentView':
        """Tokens of image b at patches ``patch_ids[b]`` (one row per image).

        Args:
            tokens (Tensor): (B, N, C).
            images (Tensor): (B, C, H, W).
            grid (tuple[int, int]): The patch grid (h, w).
            patch_ids (Tensor): (B, N) long patch indices in [0, h·w).
            mask_info (MaskInfo, optional): See the attribute.

        Returns:
            StudentView: The view.
        """
        rows = torch.arange(patch_ids.shape[0], device=patch_ids.device).unsqueeze(1)
        return cls(tokens, images, grid, rows * grid[0] * grid[1] + patch_ids, mask_info)

    def gather(self, patch_features: torch.Tensor) -> torch.Tensor:
        """Features of ``images`` at this view's positions.

        Args:
            patch_features (Tensor): (B, L, D) one feature per patch of each image.

        Returns:
            Tensor: (B', N, D).
        """
        flat = patch_features.flatten(0, 1)
        return flat[self.positions.to(flat.device)]
