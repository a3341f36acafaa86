"""The hand-off from a masker to the encoder."""
from dataclasses import dataclass

import torch


@dataclass
class MaskInfo:
    """Which patches an encoder sees (MAE's convention: 1 = masked, 0 = visible).

    Every masker of the toolkit masks the same number of patches in every
    sample, so the visible tokens of a batch stack into one tensor and any
    masker works with both encoder modes (drop masked tokens, or replace them
    with a mask token).

    Attributes:
        mask (Tensor): (B, L) float, 1 for masked patches, 0 for visible ones.
        ids_keep (Tensor): (B, L_vis) long, indices of the visible patches in
            ascending order of the masker's shuffle.
        ids_restore (Tensor): (B, L) long, the permutation that puts
            ``[visible tokens, mask tokens]`` back into raster order.
    """

    mask: torch.Tensor
    ids_keep: torch.Tensor
    ids_restore: torch.Tensor

    @property
    def num_visible(self) -> int:
        """int: Visible patches per sample."""
        return self.ids_keep.shape[1]

    @property
    def ids_masked(self) -> torch.Tensor:
        """Tensor: (B, L − L_vis) long masked patch indices, in the masker's shuffle order."""
        return torch.argsort(self.ids_restore, dim=1)[:, self.num_visible:]

    def gather_visible(self, patch_tokens: torch.Tensor) -> torch.Tensor:
        """The tokens of the visible patches, in ``ids_keep`` order.

        Args:
            patch_tokens (Tensor): (B, L, C) one token per patch.

        Returns:
            Tensor: (B, L_vis, C).
        """
        index = self.ids_keep.unsqueeze(-1).expand(-1, -1, patch_tokens.shape[-1])
        return torch.gather(patch_tokens, 1, index)

    def gather_masked(self, patch_tokens: torch.Tensor) -> torch.Tensor:
        """The tokens of the masked patches, in the masker's shuffle order.

        Args:
            patch_tokens (Tensor): (B, L, C) one token per patch, raster order.

        Returns:
            Tensor: (B, L - L_vis, C).
        """
        index = self.ids_masked.unsqueeze(-1).expand(-1, -1, patch_tokens.shape[-1])
        return torch.gather(patch_tokens, 1, index)

    def restore(self, visible: torch.Tensor, masked: torch.Tensor) -> torch.Tensor:
        """Visible and masked tokens back in raster order (the inverse of the two gathers).

        Args:
            visible (Tensor): (B, L_vis, C) in ``ids_keep`` order.
            masked (Tensor): (B, L - L_vis, C) in ``ids_masked`` order.

        Returns:
            Tensor: (B, L, C).
        """
        tokens = torch.cat([visible, masked], dim=1)
        index = self.ids_restore.unsqueeze(-1).expand(-1, -1, tokens.shape[-1])
        return torch.gather(tokens, 1, index)

    def repeat(self, times: int) -> 'MaskInfo':
        """The same masks for ``times`` stacked copies of the batch.

        Args:
            times (int): Copies n.

        Returns:
            MaskInfo: Masks for a (n·B)-sample batch, copy-major.
        """
        return MaskInfo(mask=self.mask.repeat(times, 1), ids_keep=self.ids_keep.repeat(times, 1),
                        ids_restore=self.ids_restore.repeat(times, 1))

    @classmethod
    def from_shuffle(cls, ids_shuffle: torch.Tensor, num_visible: int) -> 'MaskInfo':
        """Build from a per-sample patch order whose first ``num_visible`` stay visible.

        Args:
            ids_shuffle (Tensor): (B, L) long permutation of the patch indices.
            num_visible (int): Number of visible patches per sample.

        Returns:
            MaskInfo: The mask, kept ids and restore ids.
        """
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        mask = torch.ones(ids_shuffle.shape, device=ids_shuffle.device)
        mask[:, :num_visible] = 0
        mask = torch.gather(mask, dim=1, index=ids_restore)
        return cls(mask=mask, ids_keep=ids_shuffle[:, :num_visible], ids_restore=ids_restore)

    @classmethod
    def from_mask(cls, mask: torch.Tensor) -> 'MaskInfo':
        """Build from a binary mask with the same masked count in every row.

        Args:
            mask (Tensor): (B, L) with 1 = masked, 0 = visible.

        Returns:
            MaskInfo: Visible patches come first, each group in raster order.

        Raises:
            ValueError: If the rows mask different numbers of patches.
        """
        counts = mask.sum(dim=1)
        if counts.numel() and not bool((counts == counts[0]).all()):
            raise ValueError('MaskInfo.from_mask: every sample must mask the same number of '
                             f'patches, got counts {counts.tolist()}')
        num_visible = mask.shape[1] - int(counts[0]) if counts.numel() else 0
        ids_shuffle = torch.argsort(mask.float(), dim=1, stable=True)
        return cls.from_shuffle(ids_shuffle, num_visible)
