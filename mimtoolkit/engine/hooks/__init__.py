"""Training hooks."""
from .random_state_hook import RandomStateHook
from .reconstruction_vis_hook import ReconstructionVisHook
from .topk_accuracy_hook import TopKAccuracyHook

__all__ = ['RandomStateHook', 'ReconstructionVisHook', 'TopKAccuracyHook']
