"""A grid of image cells with a title, column titles and optional row titles, as one image."""
import math
import textwrap
from typing import Optional, Sequence

import numpy as np

#: Smallest side of a drawn cell, in pixels (small inputs are enlarged by whole factors).
MIN_CELL_PX = 128
#: Height of the band above the cells: the title line and up to three column-title lines.
HEADER_PX = 72
#: Width of the band left of the cells when rows have titles.
ROW_TITLE_PX = 96
_DPI = 100


def cell_scale(height: int, width: int, min_cell: int = MIN_CELL_PX) -> int:
    """Whole enlargement factor that makes an H x W cell at least ``min_cell`` on each side."""
    return max(1, math.ceil(min_cell / min(height, width)))


def titled_grid(cells: np.ndarray, column_titles: Sequence[str], title: str = '',
                row_titles: Optional[Sequence[str]] = None,
                min_cell: int = MIN_CELL_PX) -> np.ndarray:
    """Draw (R, C) image cells as one RGB image with titles (matplotlib, Agg).

    Cells are enlarged by a whole factor (nearest neighbour: every pixel
    stays a visible block) to at least ``min_cell`` pixels a side.

    Args:
        cells (np.ndarray): (R, C, H, W, 3) uint8 RGB.
        column_titles (Sequence[str]): C titles (wrapped to the cell width).
        title (str): The figure's title line (e.g. iteration and loss), shortened to fit.
        row_titles (Sequence[str], optional): R titles, drawn left of the rows.
        min_cell (int): Smallest cell side in pixels. Defaults to 128.

    Returns:
        np.ndarray: (HEADER_PX + R·H·s, [ROW_TITLE_PX +] C·W·s, 3) uint8 RGB,
        s = :func:`cell_scale`.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    R, C, H, W, _ = cells.shape
    if len(column_titles) != C or (row_titles is not None and len(row_titles) != R):
        raise ValueError(f'{C} columns / {R} rows but {len(column_titles)} column titles / '
                         f'{None if row_titles is None else len(row_titles)} row titles')
    s = cell_scale(H, W, min_cell)
    big = cells.repeat(s, axis=2).repeat(s, axis=3)  # (R, C, Hs, Ws, 3)
    left = ROW_TITLE_PX if row_titles is not None else 0
    canvas = np.full((HEADER_PX + R * H * s, left + C * W * s, 3), 255, np.uint8)
    canvas[HEADER_PX:, left:] = big.transpose(0, 2, 1, 3, 4).reshape(R * H * s, C * W * s, 3)
    height, width = canvas.shape[:2]
    fig = plt.figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(canvas, interpolation='nearest')
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(height - 0.5, -0.5)
    ax.axis('off')
    title = textwrap.shorten(title, max(20, width // 8), placeholder=' ...')  # one line
    ax.text(width / 2, 4, title, ha='center', va='top', fontsize=10, fontweight='bold')
    chars = max(8, W * s // 7)
    for c, name in enumerate(column_titles):
        ax.text(left + (c + 0.5) * W * s, HEADER_PX - 3, '\n'.join(textwrap.wrap(name, chars)[:3]),
                ha='center', va='bottom', fontsize=8, linespacing=1.0)
    for r, name in enumerate(row_titles or ()):
        ax.text(4, HEADER_PX + (r + 0.5) * H * s, '\n'.join(textwrap.wrap(name, 14)),
                ha='left', va='center', fontsize=8)
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return image
