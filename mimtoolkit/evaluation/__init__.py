"""Analyses of learned representations (linear separability, TopK sampling accuracy)."""
from .linear_separability import cosine_similarity, linear_separability, nrmse, r2
from .topk_accuracy import topk_sampling_accuracy

__all__ = ['nrmse', 'r2', 'cosine_similarity', 'linear_separability', 'topk_sampling_accuracy']
