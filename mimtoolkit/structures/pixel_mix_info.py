"""The hand-off from a pixel mixer (i-MAE) to the rest of the step."""
from dataclasses import dataclass

import torch


@dataclass
class PixelMixInfo:
    """Two images blended into one: ``mixed = w·subordinate + (1 − w)·dominant``.

    Attributes:
        mixed (Tensor): (B, C, H, W) the mixed images the encoder sees.
        subordinate (Tensor): (B, C, H, W) the image of weight ``weight`` ≤ 0.5.
        dominant (Tensor): (B, C, H, W) the image of weight ``1 − weight`` ≥ 0.5.
        alpha (Tensor): 0-d, the drawn (or fixed) α of ``α·I_1 + (1 − α)·I_2``.
        weight (Tensor): 0-d, the subordinate's weight ``min(α, 1 − α)``.
        sources (Tensor): (B, 2) long, the batch indices of each mixed
            sample's [subordinate, dominant] image in the mixer's input (in
            a multi-process run with ``partner='permutation'``: in the
            global batch, rank r's image j at j·world + r).
    """

    mixed: torch.Tensor
    subordinate: torch.Tensor
    dominant: torch.Tensor
    alpha: torch.Tensor
    weight: torch.Tensor
    sources: torch.Tensor
