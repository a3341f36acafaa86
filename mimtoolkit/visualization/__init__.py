"""Figures: reconstructions, titled image grids."""
from .reconstruction import (denormalize, normalize, reconstruct_cells, reconstruction_cells,
                             render_reconstructions)
from .titled_grid import MIN_CELL_PX, cell_scale, titled_grid

__all__ = [
    'denormalize', 'normalize', 'reconstruction_cells', 'reconstruct_cells',
    'render_reconstructions',
    'titled_grid', 'cell_scale', 'MIN_CELL_PX'
]
