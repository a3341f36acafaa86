"""Training hooks."""
from .reconstruction_vis_hook import ReconstructionVisHook
from .topk_accuracy_hook import TopKAccuracyHook

__all__ = ['ReconstructionVisHook', 'TopKAccuracyHook']
