"""Samplers: the semantics-enhanced pair batches of i-MAE."""
from .semantic_pair_batch_sampler import SemanticPairBatchSampler, dataset_labels

__all__ = ['SemanticPairBatchSampler', 'dataset_labels']
