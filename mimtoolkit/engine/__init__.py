"""Training engine: hooks, optimizer wrappers and constructors, the runner."""
# mmpretrain's engine parts (e.g. LearningRateDecayOptimWrapperConstructor) register on
# import; configs in our scope reach them through our child registries.
import mmpretrain.engine  # noqa: F401

from .hooks import RandomStateHook, ReconstructionVisHook
from .optimizers import AutoAmpOptimWrapper
from .runner import MIMRunner

__all__ = [
    'RandomStateHook', 'ReconstructionVisHook', 'AutoAmpOptimWrapper', 'MIMRunner'
]
