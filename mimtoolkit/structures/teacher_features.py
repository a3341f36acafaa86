"""The hand-off from a frozen teacher to the masker and the heads."""
from dataclasses import dataclass
from typing import Optional

import torch


@dataclass
class TeacherFeatures:
    """What a frozen teacher returns for a clean image batch, on the student's grid.

    Attributes:
        patch_tokens (Tensor): (B, L, C_teacher) final features of every
            patch, L = the student's h·w, raster order.
        cls_attention (Tensor, optional): (B, L) the last layer's [CLS]-to-
            patch attention averaged over heads (the teacher's saliency); each
            row sums to at most 1 (the rest goes to the [CLS] key itself).
    """

    patch_tokens: torch.Tensor
    cls_attention: Optional[torch.Tensor] = None
