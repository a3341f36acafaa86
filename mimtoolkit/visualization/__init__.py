"""Figures for MIM: reconstructions."""
from .reconstruction import denormalize, reconstruction_grid, render_reconstructions

__all__ = ['denormalize', 'reconstruction_grid', 'render_reconstructions']
