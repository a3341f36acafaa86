"""Analyses of learned representations (linear separability, TopK sampling accuracy,
attention maps, weight distributions, block FLOPs)."""
from mimtoolkit.functional import (attention_probs, encode_with_cls_attention, layer_attention,
                                   topk_sampling_accuracy)
from .attention_maps import cls_attention_maps, mean_attention_distance, query_attention_maps
from .block_flops import (appendix_c_break_even, appendix_c_flops, appendix_c_vanilla_flops,
                          break_even_proxies, measure_semanticmim_block, measure_vit_block,
                          proxy_branch_flops, semanticmim_block_flops, vit_block_flops)
from .linear_separability import cosine_similarity, linear_separability, nrmse, r2
from .weight_distribution import encoder_weights, shared_histograms, weight_summary

__all__ = [
    'nrmse', 'r2', 'cosine_similarity', 'linear_separability', 'topk_sampling_accuracy',
    'attention_probs', 'cls_attention_maps',
    'encode_with_cls_attention', 'layer_attention', 'query_attention_maps',
    'mean_attention_distance', 'vit_block_flops', 'proxy_branch_flops',
    'semanticmim_block_flops', 'break_even_proxies', 'appendix_c_flops', 'appendix_c_vanilla_flops',
    'appendix_c_break_even', 'measure_vit_block',
    'measure_semanticmim_block', 'encoder_weights', 'weight_summary', 'shared_histograms'
]
