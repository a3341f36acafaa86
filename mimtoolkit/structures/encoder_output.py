"""The hand-off from an encoder to necks and heads."""
from dataclasses import dataclass, field
from typing import Dict, Optional

import torch

from .mask_info import MaskInfo


@dataclass
class EncoderOutput:
    """What a MIM encoder returns in pretraining.

    Attributes:
        tokens (Tensor): (B, 1 + N, C) final-normed tokens: [CLS] first, then
            the N patch tokens the encoder ran on (the visible ones when masked
            tokens are dropped; all L when they are replaced by a mask token).
        mask_info (MaskInfo, optional): The mask the encoder ran with.
        hidden_states (dict[int, Tensor]): Outputs (B, 1 + N, C) of the layers
            asked for with ``return_layers``, by 0-based layer index, before
            the final norm.
        num_extra_tokens (int): Tokens before the patch tokens (1: [CLS]).
    """

    tokens: torch.Tensor
    mask_info: Optional[MaskInfo] = None
    hidden_states: Dict[int, torch.Tensor] = field(default_factory=dict)
    num_extra_tokens: int = 1

    @property
    def patch_tokens(self) -> torch.Tensor:
        """Tensor: (B, N, C) the tokens after the extra ([CLS]) tokens."""
        return self.tokens[:, self.num_extra_tokens:]
