"""Runner: mmengine's, with checkpoints written atomically."""
from .atomic_checkpoint_runner import AtomicCheckpointRunner

__all__ = ['AtomicCheckpointRunner']
