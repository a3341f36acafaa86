"""The reconstruction figure: input | masked | prediction | prediction + visible."""
from typing import List, Tuple

import numpy as np
import torch
import torch.nn as nn

from mimtoolkit.structures import Reconstruction
from .titled_grid import titled_grid


def denormalize(images: torch.Tensor, data_preprocessor: nn.Module) -> torch.Tensor:
    """Undo the data preprocessor's normalisation.

    Args:
        images (Tensor): (B, 3, H, W) as the model sees them (RGB, normalised).
        data_preprocessor (nn.Module): The model's ``data_preprocessor``.

    Returns:
        Tensor: (B, 3, H, W) RGB pixels in [0, 255].
    """
    images = images.float()
    if getattr(data_preprocessor, '_enable_normalize', False):
        images = images * data_preprocessor.std.float() + data_preprocessor.mean.float()
    return images.clamp(0, 255)


def normalize(pixels: torch.Tensor, data_preprocessor: nn.Module) -> torch.Tensor:
    """Pixels in [0, 255] into the model's input space (the inverse of :func:`denormalize`).

    Args:
        pixels (Tensor): (B, 3, H, W) RGB pixels.
        data_preprocessor (nn.Module): The model's ``data_preprocessor``.

    Returns:
        Tensor: (B, 3, H, W) as the model sees them.
    """
    if getattr(data_preprocessor, '_enable_normalize', False):
        return (pixels - data_preprocessor.mean.float()) / data_preprocessor.std.float()
    return pixels


def reconstruction_cells(recon: Reconstruction,
                         data_preprocessor: nn.Module) -> Tuple[np.ndarray, List[str]]:
    """One row per image: input | masked | prediction | prediction + visible | extras.

    "prediction + visible" pastes the prediction into the masked patches of
    the target (the input itself for MAE, the subordinate image for i-MAE).

    Args:
        recon (Reconstruction): A pretrainer's ``reconstruct`` output.
        data_preprocessor (nn.Module): The model's preprocessor, to undo its
            normalisation.

    Returns:
        tuple[np.ndarray, list[str]]: (B, 4 + len(extras), H, W, 3) uint8
        RGB cells and their column titles.
    """
    images, pred, target = (denormalize(t, data_preprocessor)
                            for t in (recon.inputs, recon.pred, recon.target))
    mask = recon.mask.float()
    grey = torch.full_like(images, 127.0)
    masked = images * (1 - mask) + grey * mask
    pasted = target * (1 - mask) + pred * mask
    extras = [denormalize(t, data_preprocessor) for t in recon.extras.values()]
    cells = torch.stack([images, masked, pred, pasted, *extras], dim=1)  # (B, k, 3, H, W)
    titles = [recon.input_title, 'masked (grey: hidden)', recon.pred_title,
              'prediction in the hidden patches + visible', *recon.extras]
    return cells.permute(0, 1, 3, 4, 2).round().clamp(0, 255).byte().cpu().numpy(), titles


@torch.no_grad()
def reconstruct_cells(model: nn.Module, inputs: torch.Tensor,
                      **kwargs) -> Tuple[np.ndarray, List[str]]:
    """Reconstruct a batch with ``model.reconstruct``; its figure cells and column titles.

    The random state is left as it was, so drawing during training does not
    change the run.

    Args:
        model (nn.Module): A pretrainer with ``reconstruct`` (pixel targets).
        inputs (Tensor): (B, 3, H, W) preprocessed images.
        **kwargs: Passed to ``reconstruct`` (e.g. i-MAE's ``alpha``).

    Returns:
        tuple[np.ndarray, list[str]]: See :func:`reconstruction_cells`.
    """
    was_training = model.training
    model.eval()
    devices = [inputs.device] if inputs.device.type == 'cuda' else []
    with torch.random.fork_rng(devices=devices):
        recon = model.reconstruct(inputs, **kwargs)
    model.train(was_training)
    return reconstruction_cells(recon, model.data_preprocessor)


def render_reconstructions(model: nn.Module, inputs: torch.Tensor, title: str = '',
                           **kwargs) -> np.ndarray:
    """The reconstruction figure of a batch: cells of :func:`reconstruct_cells`, titled.

    Args:
        model (nn.Module): A pretrainer with ``reconstruct`` (pixel targets).
        inputs (Tensor): (B, 3, H, W) preprocessed images.
        title (str): The figure's title (e.g. iteration and loss).
        **kwargs: Passed to ``reconstruct``.

    Returns:
        np.ndarray: (h, w, 3) uint8 RGB image (:func:`titled_grid`).
    """
    cells, titles = reconstruct_cells(model, inputs, **kwargs)
    return titled_grid(cells, titles, title)
