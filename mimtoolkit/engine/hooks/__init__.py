"""Training hooks."""
from .online_probe_hook import OnlineProbeHook
from .random_state_hook import RandomStateHook
from .reconstruction_vis_hook import ReconstructionVisHook
from .topk_accuracy_hook import TopKAccuracyHook
from .update_param_scheduler_hook import UpdateParamSchedulerHook

__all__ = [
    'OnlineProbeHook', 'RandomStateHook', 'ReconstructionVisHook', 'TopKAccuracyHook',
    'UpdateParamSchedulerHook'
]
