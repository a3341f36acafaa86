"""Optimizer wrappers."""
from .amp_optim_wrappers import AutoAmpOptimWrapper, CPUAutocastOptimWrapper

__all__ = ['AutoAmpOptimWrapper', 'CPUAutocastOptimWrapper']
