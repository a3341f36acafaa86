"""The reconstruction figure's columns, and the random state left untouched."""
import torch
import torch.nn as nn

from mimtoolkit.registry import MODELS
from mimtoolkit.structures import Reconstruction
from mimtoolkit.visualization import reconstruction_grid, render_reconstructions
from ..conftest import tiny_mae_cfg


def test_grid_columns():
    images = torch.full((2, 3, 4, 4), 200.0)
    target = torch.full((2, 3, 4, 4), 50.0)
    recon = torch.full((2, 3, 4, 4), 10.0)
    mask = torch.zeros(2, 1, 4, 4)
    mask[..., :2, :] = 1
    extra = torch.full((2, 3, 4, 4), 90.0)
    grid = reconstruction_grid(
        Reconstruction(inputs=images, mask=mask, pred=recon, target=target,
                       extras={'dominant': extra}), nn.Identity())  # no normalisation to undo
    assert grid.shape == (8, 20, 3) and grid.dtype.name == 'uint8'
    assert (grid[:4, :4] == 200).all()  # input
    assert (grid[:2, 4:8] == 127).all() and (grid[2:4, 4:8] == 200).all()  # masked -> grey
    assert (grid[:4, 8:12] == 10).all()  # reconstruction
    assert (grid[:2, 12:16] == 10).all() and (grid[2:4, 12:16] == 50).all()  # + target visible
    assert (grid[:, 16:20] == 90).all()  # extra column


def test_render_leaves_training_randomness_alone():
    model = MODELS.build(tiny_mae_cfg())
    torch.manual_seed(5)
    render_reconstructions(model, torch.randn(2, 3, 32, 32))
    after = torch.rand(3)
    torch.manual_seed(5)
    torch.randn(2, 3, 32, 32)
    assert torch.equal(after, torch.rand(3))
    assert model.training
