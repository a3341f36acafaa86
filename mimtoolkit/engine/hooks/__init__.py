"""Training hooks."""
from .random_state_hook import RandomStateHook
from .reconstruction_vis_hook import ReconstructionVisHook
from .topk_accuracy_hook import TopKAccuracyHook
from .update_param_scheduler_hook import UpdateParamSchedulerHook

__all__ = [
    'RandomStateHook', 'ReconstructionVisHook', 'TopKAccuracyHook', 'UpdateParamSchedulerHook'
]
