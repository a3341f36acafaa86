"""What travels between the named stages of one encoder call."""
from dataclasses import dataclass, field
from typing import Dict, Optional, Sequence, Tuple

import torch

from mimtoolkit.structures import MaskInfo


@dataclass
class TokenFlow:
    """The state of one :meth:`MIMViT.encode` call, handed from stage to stage.

    A stage reads and replaces the fields it works on; a variant that
    overrides a stage fills the fields its other stages read (``queries``:
    the proxy variant's [MASK] branch; ``per_patch``: ConvViT's stage fusion).

    Attributes:
        tokens (Tensor): The sequence so far: (B, L, C) patch embeddings after
            the embedding, (B, N, C) after the mask (N = visible patches, or L
            with [MASK] tokens), (B, T + N, C) once the T leading tokens lead.
        hw (tuple[int, int]): The patch grid.
        pos (Tensor): (1, T0 + L, C) the position embedding at this grid (T0:
            the [CLS] row, if any).
        mask_info (MaskInfo, optional): The mask; None encodes every patch.
        return_layers (Sequence[int]): 0-based layers to keep in ``hidden_states``.
        num_leading (int): T, set by the leading-token stage.
        queries (Tensor, optional): (B, L − N, C) tokens at the masked patches
            computed beside the sequence (the proxy variant's [MASK] branch).
        per_patch (Tensor, optional): (B, L, C) one token per patch, raster
            order, added before the final norm (ConvViT's stage fusion).
        hidden_states (dict[int, Tensor]): (B, T + N, C) layer outputs by
            index: ``return_layers`` and the layers a fusion sums.
    """

    tokens: torch.Tensor
    hw: Tuple[int, int]
    pos: torch.Tensor
    mask_info: Optional[MaskInfo] = None
    return_layers: Sequence[int] = ()
    num_leading: int = 0
    queries: Optional[torch.Tensor] = None
    per_patch: Optional[torch.Tensor] = None
    hidden_states: Dict[int, torch.Tensor] = field(default_factory=dict)

    @property
    def batch_size(self) -> int:
        """int: B."""
        return self.tokens.shape[0]
