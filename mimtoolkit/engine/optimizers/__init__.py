"""Optimizer wrappers and constructors."""
from .amp_optim_wrappers import AMP_DTYPES, AutoAmpOptimWrapper, amp_dtype, bf16_supported
from .backbone_layer_decay_constructor import BackboneLayerDecayOptimWrapperConstructor
from .guarded_optim_wrappers import GuardedOptimWrapper

__all__ = [
    'AutoAmpOptimWrapper', 'AMP_DTYPES', 'amp_dtype', 'bf16_supported',
    'BackboneLayerDecayOptimWrapperConstructor', 'GuardedOptimWrapper'
]
