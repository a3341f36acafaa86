"""The reconstruction figure: input | masked | reconstruction | reconstruction + visible."""
import numpy as np
import torch
import torch.nn as nn

from mimtoolkit.structures import Reconstruction


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


def reconstruction_grid(recon: Reconstruction, data_preprocessor: nn.Module) -> np.ndarray:
    """Lay out one row per image: input | masked | reconstruction | recon + visible | extras.

    "recon + visible" pastes the reconstruction into the masked patches of
    the target (the input itself for MAE, the subordinate image for i-MAE).

    Args:
        recon (Reconstruction): A pretrainer's ``reconstruct`` output.
        data_preprocessor (nn.Module): The model's preprocessor, to undo its
            normalisation.

    Returns:
        np.ndarray: (B·H, (4 + len(extras))·W, 3) uint8 RGB image.
    """
    images, pred, target = (denormalize(t, data_preprocessor)
                            for t in (recon.inputs, recon.pred, recon.target))
    mask = recon.mask.float()
    grey = torch.full_like(images, 127.0)
    masked = images * (1 - mask) + grey * mask
    pasted = target * (1 - mask) + pred * mask
    extras = [denormalize(t, data_preprocessor) for t in recon.extras.values()]
    row = torch.cat([images, masked, pred, pasted, *extras], dim=3)  # (B, 3, H, k·W)
    grid = torch.cat(list(row), dim=1)  # (3, B·H, k·W)
    return grid.permute(1, 2, 0).round().clamp(0, 255).byte().cpu().numpy()


@torch.no_grad()
def render_reconstructions(model: nn.Module, inputs: torch.Tensor, **kwargs) -> np.ndarray:
    """Reconstruct a batch with ``model.reconstruct`` and draw the figure.

    The random state is left as it was, so drawing during training does not
    change the run.

    Args:
        model (nn.Module): A pretrainer with ``reconstruct`` (pixel targets).
        inputs (Tensor): (B, 3, H, W) preprocessed images.
        **kwargs: Passed to ``reconstruct`` (e.g. i-MAE's ``alpha``).

    Returns:
        np.ndarray: See :func:`reconstruction_grid`.
    """
    was_training = model.training
    model.eval()
    devices = [inputs.device] if inputs.device.type == 'cuda' else []
    with torch.random.fork_rng(devices=devices):
        recon = model.reconstruct(inputs, **kwargs)
    model.train(was_training)
    return reconstruction_grid(recon, model.data_preprocessor)
