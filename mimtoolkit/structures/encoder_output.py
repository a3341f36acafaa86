"""The hand-off from an encoder to necks and heads."""
from dataclasses import dataclass, field
from typing import Dict, Optional

import torch

from .mask_info import MaskInfo


@dataclass
class EncoderOutput:
    """What a MIM encoder returns in pretraining, by part.

    A pretrainer or head reads which parts are there, never the backbone's
    flags: ``masked`` is None exactly when the encoder dropped the masked
    patches (MAE); an encoder that replaces them with [MASK] (MaskFeat, BEiT)
    or runs a [MASK] branch (SemanticMIM's proxies) gives a token there too.

    Attributes:
        leading (Tensor): (B, T, C) the final-normed tokens before the
            patches: [CLS] (T = 1), SemanticMIM's proxies (T = N) or none
            (T = 0, ConvViT).
        visible (Tensor): (B, N_vis, C) final-normed tokens at the visible
            patches, in ``mask_info.ids_keep`` order; without a mask, every
            patch in raster order.
        masked (Tensor, optional): (B, L − N_vis, C) final-normed tokens at
            the masked patches, in ``mask_info.ids_masked`` order; None where
            the masked patches were dropped (or there is no mask).
        mask_info (MaskInfo, optional): The mask the encoder ran with.
        hidden_states (dict[int, Tensor]): Outputs (B, T + N, C) of the layers
            asked for with ``return_layers``, by 0-based layer index, before
            the final norm: the sequence the layers ran on (leading tokens,
            then the visible patches; every patch with [MASK] tokens).
        raster (Tensor, optional): (B, L, C) the same patch tokens in raster
            order where the encoder had them so ([MASK] tokens in place):
            :meth:`every_patch` returns it instead of restoring the order.
    """

    leading: torch.Tensor
    visible: torch.Tensor
    masked: Optional[torch.Tensor] = None
    mask_info: Optional[MaskInfo] = None
    hidden_states: Dict[int, torch.Tensor] = field(default_factory=dict)
    raster: Optional[torch.Tensor] = field(default=None, repr=False)

    @property
    def num_leading(self) -> int:
        """int: T, the tokens before the patches (also in ``hidden_states``)."""
        return self.leading.shape[1]

    @property
    def has_every_patch(self) -> bool:
        """bool: Whether there is a token at every patch (no mask, or ``masked`` given)."""
        return self.mask_info is None or self.masked is not None

    def every_patch(self) -> torch.Tensor:
        """(B, L, C) a token at every patch, in raster order.

        Raises:
            ValueError: Where the masked patches were dropped (no token there).
        """
        if self.mask_info is None:
            return self.visible
        if self.raster is not None:
            return self.raster
        if self.masked is None:
            raise ValueError('EncoderOutput.every_patch: the encoder dropped the masked patches '
                             '(masked is None); read visible, or decode the masked ones')
        return self.mask_info.restore(self.visible, self.masked)

    def leading_and_visible(self) -> torch.Tensor:
        """(B, T + N_vis, C) the leading tokens, then the visible patches (MAE's decoder input)."""
        return torch.cat([self.leading, self.visible], dim=1)
