"""Training engine: hooks and optimizer wrappers."""
from .hooks import ReconstructionVisHook
from .optimizers import AutoAmpOptimWrapper, CPUAutocastOptimWrapper

__all__ = ['ReconstructionVisHook', 'AutoAmpOptimWrapper', 'CPUAutocastOptimWrapper']
