"""Optimizer wrappers and constructors."""
from .amp_optim_wrappers import AutoAmpOptimWrapper, CPUAutocastOptimWrapper
from .backbone_layer_decay_constructor import BackboneLayerDecayOptimWrapperConstructor

__all__ = [
    'AutoAmpOptimWrapper', 'CPUAutocastOptimWrapper', 'BackboneLayerDecayOptimWrapperConstructor'
]
