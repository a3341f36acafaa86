"""Imported into a training run (``custom_imports``): ``PoisonWeightsHook`` sets one encoder
weight to NaN before iteration ``at`` (0-based), so that step's losses are NaN."""
import torch
from mmengine.hooks import Hook

from mimtoolkit.registry import HOOKS


@HOOKS.register_module()
class PoisonWeightsHook(Hook):

    def __init__(self, at: int) -> None:
        self.at = at

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        if runner.iter == self.at:
            with torch.no_grad():
                runner.model.backbone.patch_embed.projection.weight.fill_(float('nan'))
