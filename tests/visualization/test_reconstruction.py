"""The reconstruction figure's cells and titles, the titled grid, the random state left alone."""
import numpy as np
import torch
import torch.nn as nn

from mimtoolkit.registry import MODELS
from mimtoolkit.structures import Reconstruction
from mimtoolkit.visualization import reconstruction_cells, render_reconstructions, titled_grid
from mimtoolkit.visualization.titled_grid import HEADER_PX, ROW_TITLE_PX
from ..conftest import tiny_mae_cfg


def test_cells_columns_and_titles():
    images = torch.full((2, 3, 4, 4), 200.0)
    target = torch.full((2, 3, 4, 4), 50.0)
    recon = torch.full((2, 3, 4, 4), 10.0)
    mask = torch.zeros(2, 1, 4, 4)
    mask[..., :2, :] = 1
    extra = torch.full((2, 3, 4, 4), 90.0)
    cells, titles = reconstruction_cells(
        Reconstruction(inputs=images, mask=mask, pred=recon, target=target,
                       extras={'dominant': extra}, pred_title='prediction (pixels)'),
        nn.Identity())  # no normalisation to undo
    assert cells.shape == (2, 5, 4, 4, 3) and cells.dtype.name == 'uint8'
    assert (cells[:, 0] == 200).all()  # input
    assert (cells[:, 1, :2] == 127).all() and (cells[:, 1, 2:] == 200).all()  # masked -> grey
    assert (cells[:, 2] == 10).all()  # prediction
    assert (cells[:, 3, :2] == 10).all() and (cells[:, 3, 2:] == 50).all()  # + target visible
    assert (cells[:, 4] == 90).all()  # extra column
    assert titles[0] == 'input' and titles[2] == 'prediction (pixels)' and titles[4] == 'dominant'


def test_titled_grid_enlarges_cells_and_writes_titles():
    cells = np.zeros((2, 3, 32, 32, 3), np.uint8)
    cells[1, 2] = (0, 200, 0)
    figure = titled_grid(cells, ['input', 'masked', 'a long prediction title that wraps'],
                         'iteration 5, loss 0.1')
    assert figure.shape == (HEADER_PX + 2 * 128, 3 * 128, 3)  # 32 px cells drawn at 128
    body = figure[HEADER_PX:]
    assert (body[128 + 2:-2, 256 + 2:-2] == (0, 200, 0)).all()  # cell (1, 2), enlarged x4
    assert (body[2:126, 2:126] == 0).all()
    header = figure[:HEADER_PX]
    assert (header < 128).any() and (header == 255).mean() > 0.5  # dark text on white
    with_rows = titled_grid(cells, ['a', 'b', 'c'], row_titles=['alpha = 0.1', 'alpha = 0.3'])
    assert with_rows.shape == (HEADER_PX + 256, ROW_TITLE_PX + 384, 3)
    assert (with_rows[HEADER_PX:, :ROW_TITLE_PX] < 128).any()  # row titles drawn


def test_render_leaves_training_randomness_alone():
    model = MODELS.build(tiny_mae_cfg())
    torch.manual_seed(5)
    render_reconstructions(model, torch.randn(2, 3, 32, 32))
    after = torch.rand(3)
    torch.manual_seed(5)
    torch.randn(2, 3, 32, 32)
    assert torch.equal(after, torch.rand(3))
    assert model.training
