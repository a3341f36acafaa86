"""Layer-wise lr decay for any model with a backbone: mmseg segmentors, mmdet detectors."""
from functools import partial
from typing import List

from mmpretrain.engine.optimizers import LearningRateDecayOptimWrapperConstructor
from torch import nn

from mimtoolkit.registry import OPTIM_WRAPPER_CONSTRUCTORS
from mimtoolkit.utils import ConfigError


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class BackboneLayerDecayOptimWrapperConstructor(LearningRateDecayOptimWrapperConstructor):
    """mmpretrain's layer-decay constructor, depths asked of ``model.backbone``.

    mmpretrain's constructor needs ``get_layer_depth`` on the whole model,
    which only its classifiers have; mmseg's ``LayerDecayOptimizerConstructor``
    picks its rule by the backbone's class name (``'BEiT'``, ``'MAE'``,
    ``'ConvNeXt'``) and raises ``NotImplementedError`` for any other. Here the
    backbone answers for its own parameters (``MIMViT.get_layer_depth``: stem,
    [CLS], proxies and mask token at depth 0, layer ``i`` at ``i + 1``, final
    norm at the top), and every parameter outside it (neck, FPN, heads) gets
    the top depth, i.e. the base lr. Learning rate of depth ``d`` of ``D``:
    ``lr * layer_decay_rate ** (D - 1 - d)``.

    Use in mmseg / mmdet configs as
    ``constructor='mimtoolkit.BackboneLayerDecayOptimWrapperConstructor'`` with
    ``paramwise_cfg=dict(layer_decay_rate=0.65, ...)`` (the other
    ``paramwise_cfg`` keys are mmpretrain's: ``flat_decay_mult``,
    ``custom_keys`` with ``decay_mult``...).
    """

    def add_params(self, params: List[dict], module: nn.Module, prefix: str = '',
                   get_layer_depth=None, **kwargs) -> None:
        """Add the parameters of ``module`` with per-layer learning rates."""
        if get_layer_depth is None:
            backbone = getattr(module, 'backbone', None)
            if not hasattr(backbone, 'get_layer_depth'):
                raise ConfigError(
                    f'optim_wrapper.constructor={type(self).__name__!r} is invalid for '
                    f'{type(module).__name__}: expected a model whose backbone has '
                    f'get_layer_depth (MIMViT, ConvViT, mmpretrain ViTs), got '
                    f'{type(backbone).__name__}')
            get_layer_depth = partial(backbone.get_layer_depth, prefix='backbone.')
        super().add_params(params, module, prefix, get_layer_depth=get_layer_depth, **kwargs)
