"""Samplers: the semantics-enhanced pair batches of i-MAE; disjoint tar shards per rank."""
from .semantic_pair_batch_sampler import SemanticPairBatchSampler, dataset_labels
from .shard_sampler import ShardSampler

__all__ = ['SemanticPairBatchSampler', 'ShardSampler', 'dataset_labels']
