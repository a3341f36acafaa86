"""The reconstruction figure: original | masked | reconstruction | reconstruction + visible."""
import numpy as np
import torch
import torch.nn as nn


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


def reconstruction_grid(images: torch.Tensor, mask: torch.Tensor,
                        recon: torch.Tensor) -> np.ndarray:
    """Lay out one row per image: original | masked | reconstruction | recon + visible.

    Args:
        images (Tensor): (B, 3, H, W) RGB in [0, 255].
        mask (Tensor): (B, 1, H, W), 1 where the patch was masked.
        recon (Tensor): (B, 3, H, W) RGB in [0, 255].

    Returns:
        np.ndarray: (B·H, 4·W, 3) uint8 RGB image.
    """
    mask = mask.float()
    grey = torch.full_like(images, 127.0)
    masked = images * (1 - mask) + grey * mask
    pasted = images * (1 - mask) + recon * mask
    row = torch.cat([images, masked, recon, pasted], dim=3)  # (B, 3, H, 4W)
    grid = torch.cat(list(row), dim=1)  # (3, B·H, 4W)
    return grid.permute(1, 2, 0).round().clamp(0, 255).byte().cpu().numpy()


@torch.no_grad()
def render_reconstructions(model: nn.Module, inputs: torch.Tensor) -> np.ndarray:
    """Reconstruct a batch with ``model.reconstruct`` and draw the figure.

    The random state is left as it was, so drawing during training does not
    change the run.

    Args:
        model (nn.Module): A pretrainer with ``reconstruct`` (pixel targets).
        inputs (Tensor): (B, 3, H, W) preprocessed images.

    Returns:
        np.ndarray: See :func:`reconstruction_grid`.
    """
    was_training = model.training
    model.eval()
    devices = [inputs.device] if inputs.device.type == 'cuda' else []
    with torch.random.fork_rng(devices=devices):
        mask, recon = model.reconstruct(inputs)
    model.train(was_training)
    pre = model.data_preprocessor
    return reconstruction_grid(denormalize(inputs, pre), mask, denormalize(recon, pre))
