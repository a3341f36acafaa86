"""The hand-off from a patch mixer (MixedAE) to the rest of the step."""
from dataclasses import dataclass

import torch

from .mask_info import MaskInfo


@dataclass
class PatchMixInfo:
    """Patches of G images composed into one image, and how to take them apart.

    Attributes:
        mixed (Tensor): (B', C, H, W) the mixed images the encoder sees.
        slots (Tensor): (B', L) long, the source slot in [0, G) of every patch
            (the mixing mask M of Eq. 1, 0-based); every slot owns L/G patches.
        sources (Tensor): (B', G) long, the batch index of the image in each slot.
    """

    mixed: torch.Tensor
    slots: torch.Tensor
    sources: torch.Tensor

    @property
    def num_slots(self) -> int:
        """int: G = 1/r, images per mixed sample."""
        return self.sources.shape[1]

    def unmix_masks(self) -> MaskInfo:
        """Masks that unmix every slot (Eq. 3–4), slot-major over G·B' sequences.

        Sequence ``g·B' + b`` keeps the patches of mixed sample b that came from
        slot g (visible) and masks the others: the patches its image did *not*
        contribute, where the decoder puts its mask token and the loss is taken.

        Returns:
            MaskInfo: (G·B', L) masks with L/G visible patches each.
        """
        slot_ids = torch.arange(self.num_slots, device=self.slots.device)
        masks = (self.slots.unsqueeze(0) != slot_ids.view(-1, 1, 1)).flatten(0, 1)
        return MaskInfo.from_mask(masks.float())

    def targets(self, inputs: torch.Tensor) -> torch.Tensor:
        """The source images in the order of :meth:`unmix_masks`.

        Args:
            inputs (Tensor): (B, C, H, W) the mixer's input batch.

        Returns:
            Tensor: (G·B', C, H, W).
        """
        return inputs[self.sources.t().flatten()]
