"""Training engine: hooks and optimizer wrappers."""
# mmpretrain's engine parts (e.g. LearningRateDecayOptimWrapperConstructor) register on
# import; configs in our scope reach them through our child registries.
import mmpretrain.engine  # noqa: F401

from .hooks import ReconstructionVisHook
from .optimizers import AutoAmpOptimWrapper, CPUAutocastOptimWrapper

__all__ = ['ReconstructionVisHook', 'AutoAmpOptimWrapper', 'CPUAutocastOptimWrapper']
