"""Optimizer wrappers and constructors."""
from .amp_optim_wrappers import AutoAmpOptimWrapper, CPUAutocastOptimWrapper
from .backbone_layer_decay_constructor import BackboneLayerDecayOptimWrapperConstructor
from .guarded_optim_wrappers import GuardedAmpOptimWrapper, GuardedOptimWrapper

__all__ = [
    'AutoAmpOptimWrapper', 'CPUAutocastOptimWrapper', 'BackboneLayerDecayOptimWrapperConstructor',
    'GuardedOptimWrapper', 'GuardedAmpOptimWrapper'
]
