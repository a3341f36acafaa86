"""Registries of mimtoolkit, children of mmpretrain's (scope ``mimtoolkit``).

Because every registry here is a child of mmpretrain's, a config whose
``default_scope`` is ``'mimtoolkit'`` reaches every mmpretrain (and mmengine)
part by its plain name, and mmseg/mmdet configs reach ours as
``type='mimtoolkit.NAME'``.

All model parts live in :data:`MODELS` (as in every OpenMMLab library); the
*kind* of a part (pretrainer, backbone, attention, mixer, masker, neck, head,
loss, target) is recorded by :func:`register_part`, so tools and tests can list
the parts of one kind, e.g. to generate a combination matrix.

The parts that subclass mmseg's and mmdet's (:data:`TRANSFER_PARTS`) load on first need:
mmseg and mmdet import mmcv's compiled ops, which a pretraining install does without
(``make install``; ``make install-ops`` adds them).
"""
from importlib import import_module
from typing import Callable, Dict, Type

from mmengine.registry import Registry
from mmpretrain import registry as mmpretrain_registry

__all__ = [
    'MODELS', 'DATASETS', 'DATA_SAMPLERS', 'TRANSFORMS', 'HOOKS', 'METRICS',
    'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'VISUALIZERS', 'LOOPS', 'OPTIMIZERS',
    'PARAM_SCHEDULERS', 'VISBACKENDS', 'WEIGHT_INITIALIZERS', 'PART_KINDS',
    'register_part', 'parts_of_kind', 'TRANSFER_PARTS', 'TRANSFER_PART_KINDS',
    'load_transfer_parts'
]


#: The parts of ``mimtoolkit.models.transfer`` (subclasses of mmseg's and mmdet's), by name.
TRANSFER_PARTS = ('ViTPyramidNeck', 'ResizedLossFCNHead', 'FP32SingleRoIExtractor',
                  'FP32ProposalRPNHead')
#: The part kinds (:func:`register_part`) among them; the others are mmseg/mmdet models only.
TRANSFER_PART_KINDS = ('neck', )


def load_transfer_parts() -> None:
    """Import ``mimtoolkit.models.transfer`` (registering :data:`TRANSFER_PARTS`).

    Raises:
        ConfigError: One line naming the command that builds mmcv's ops, where they are
            missing (mmseg and mmdet cannot be imported without them).
    """
    from mimtoolkit.utils.errors import ConfigError, is_missing_ops, missing_ops_line
    try:
        import_module('mimtoolkit.models.transfer')
    except ImportError as err:
        if not is_missing_ops(err):
            raise
        raise ConfigError(missing_ops_line(f"the transfer parts ({', '.join(TRANSFER_PARTS)})")
                          ) from None


class _ModelRegistry(Registry):
    """The model registry: loads the transfer parts the first time a config names one."""

    def get(self, key: str):
        """mmengine's ``get``; a :data:`TRANSFER_PARTS` name loads its package first."""
        found = super().get(key)
        if found is None and self.split_scope_key(key)[1] in TRANSFER_PARTS:
            load_transfer_parts()
            found = super().get(key)
        return found


def _child(parent: Registry, name: str, kind: type = Registry) -> Registry:
    registry = kind(name, parent=parent, scope='mimtoolkit', locations=['mimtoolkit'])
    # mmengine resolves 'scope.Name' only for scopes that are direct children of the root
    # registry; list ours there too so mmseg/mmdet configs reach 'mimtoolkit.Name'.
    root = registry._get_root_registry()
    if 'mimtoolkit' not in root._children:
        root._add_child(registry)
    return registry


MODELS = _child(mmpretrain_registry.MODELS, 'model', _ModelRegistry)
DATASETS = _child(mmpretrain_registry.DATASETS, 'dataset')
DATA_SAMPLERS = _child(mmpretrain_registry.DATA_SAMPLERS, 'data sampler')
TRANSFORMS = _child(mmpretrain_registry.TRANSFORMS, 'transform')
HOOKS = _child(mmpretrain_registry.HOOKS, 'hook')
METRICS = _child(mmpretrain_registry.METRICS, 'metric')
OPTIM_WRAPPERS = _child(mmpretrain_registry.OPTIM_WRAPPERS, 'optim wrapper')
OPTIM_WRAPPER_CONSTRUCTORS = _child(mmpretrain_registry.OPTIM_WRAPPER_CONSTRUCTORS,
                                    'optimizer wrapper constructor')
VISUALIZERS = _child(mmpretrain_registry.VISUALIZERS, 'visualizer')
# registries the Runner builds from with our default scope (loops, optimizers, schedulers,
# vis backends, weight initialisers): children too, so lookups never fall back with a warning
LOOPS = _child(mmpretrain_registry.LOOPS, 'loop')
OPTIMIZERS = _child(mmpretrain_registry.OPTIMIZERS, 'optimizer')
PARAM_SCHEDULERS = _child(mmpretrain_registry.PARAM_SCHEDULERS, 'parameter scheduler')
VISBACKENDS = _child(mmpretrain_registry.VISBACKENDS, 'vis_backend')
WEIGHT_INITIALIZERS = _child(mmpretrain_registry.WEIGHT_INITIALIZERS, 'weight initializer')

#: The kinds of model part a config can combine (DESIGN.md §1).
PART_KINDS = ('pretrainer', 'backbone', 'attention', 'block', 'mixer', 'masker', 'neck', 'head',
              'loss', 'target')

_PARTS: Dict[str, Dict[str, Type]] = {kind: {} for kind in PART_KINDS}


def register_part(kind: str) -> Callable[[Type], Type]:
    """Register a model part in :data:`MODELS` and record its kind.

    Args:
        kind (str): One of :data:`PART_KINDS`.

    Returns:
        Callable: A class decorator.
    """
    if kind not in PART_KINDS:
        raise ValueError(f'register_part: kind={kind!r} is not one of {PART_KINDS}')

    def _register(cls: Type) -> Type:
        MODELS.register_module(module=cls)
        _PARTS[kind][cls.__name__] = cls
        cls.part_kind = kind
        return cls

    return _register


def parts_of_kind(kind: str) -> Dict[str, Type]:
    """All registered mimtoolkit parts of one kind, by name.

    Args:
        kind (str): One of :data:`PART_KINDS`.

    Returns:
        dict[str, type]: Registered name to class.
    """
    if kind not in PART_KINDS:
        raise ValueError(f'parts_of_kind: kind={kind!r} is not one of {PART_KINDS}')
    # every part is registered: this module's parent package (``mimtoolkit``) imports
    # mimtoolkit.models before anyone can import this module
    from mimtoolkit.utils.errors import ConfigError
    if kind in TRANSFER_PART_KINDS:  # other kinds never import mmseg and mmdet (seconds)
        try:
            load_transfer_parts()
        except ConfigError:  # no compiled ops: the parts that need them are not listed
            pass
    return dict(_PARTS[kind])
