"""What a pretrainer's ``reconstruct`` hands to the reconstruction figure."""
from dataclasses import dataclass, field
from typing import Dict

import torch


@dataclass
class Reconstruction:
    """One batch of pixel reconstructions, all (B, C, H, W) in the model's input space.

    Attributes:
        inputs (Tensor): What the encoder saw (the mixed image for i-MAE).
        mask (Tensor): (B, 1, H, W), 1 where the patch was masked.
        pred (Tensor): The reconstruction.
        target (Tensor): What ``pred`` reconstructs (``inputs`` for MAE, the
            subordinate image for i-MAE's subordinate branch).
        extras (dict[str, Tensor]): Further columns of the figure, by title.
        input_title (str): The input column's title.
        pred_title (str): The prediction column's title (says how a
            ``norm_pix`` prediction was drawn).
    """

    inputs: torch.Tensor
    mask: torch.Tensor
    pred: torch.Tensor
    target: torch.Tensor
    extras: Dict[str, torch.Tensor] = field(default_factory=dict)
    input_title: str = 'input'
    pred_title: str = 'prediction'
