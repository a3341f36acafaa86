"""Runner: mmengine's, with atomic checkpoints and clear dataset errors."""
from .mim_runner import MIMRunner

__all__ = ['MIMRunner']
