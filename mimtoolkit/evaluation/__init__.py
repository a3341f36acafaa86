"""Analyses of learned representations (linear separability)."""
from .linear_separability import cosine_similarity, linear_separability, nrmse, r2

__all__ = ['nrmse', 'r2', 'cosine_similarity', 'linear_separability']
